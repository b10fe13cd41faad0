import Foundation
import LeNet

/// This run's own facts, which differ from run to run and machine to machine: the host, the stage
/// timings. They go to the terminal and to `run.txt` beside the report (kept
/// out of git), not into the writeup, so that regenerating an unchanged report changes nothing.
enum RunLog {
    static let name = "run.txt"

    static func text(commandLine: String, timings: [(stage: String, seconds: Double)], total: Double) -> String {
        var lines = ["command      \(commandLine)", "host         \(Provenance.machine)",
                     String(format: "peak memory  %.0f MB", peakMemoryMB()), "", "stage                           seconds"]
        lines += timings.map { String(format: "%@ %7.2f", $0.stage.padding(toLength: 31, withPad: " ", startingAt: 0), $0.seconds) }
        lines.append(String(format: "%@ %7.2f", "total".padding(toLength: 31, withPad: " ", startingAt: 0), total))
        return lines.joined(separator: "\n") + "\n"
    }
}
