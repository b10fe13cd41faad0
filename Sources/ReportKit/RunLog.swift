import Foundation
import Network

/// This run's own facts, which differ from run to run and machine to machine: the host, the stage
/// timings. They go to the terminal and to `run.txt` beside the report (kept
/// out of git), not into the writeup, so that regenerating an unchanged report changes nothing.
enum RunLog {
    static let name = "run.txt"

    static func text(commandLine: String, timings: [(stage: String, seconds: Double)], total: Double) -> String {
        // As wide as the longest stage name, which names the output folder.
        let width = timings.map(\.stage.count).reduce("stage".count, max)
        func row(_ label: String, _ value: String) -> String { label.padding(toLength: width, withPad: " ", startingAt: 0) + " " + value }
        var lines = ["command      \(commandLine)", "host         \(Provenance.machine)",
                     String(format: "peak memory  %.0f MB", peakMemoryMB()), "", row("stage", "seconds")]
        lines += timings.map { row($0.stage, String(format: "%7.2f", $0.seconds)) }
        lines.append(row("total", String(format: "%7.2f", total)))
        return lines.joined(separator: "\n") + "\n"
    }
}
