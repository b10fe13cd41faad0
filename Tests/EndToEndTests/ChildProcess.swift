import FileIO
import Foundation

/// A child process whose standard output and error go to files, not pipes. A pipe holds 64 KiB:
/// a child that fills one (a sanitizer's report on stderr) while the test reads the other to its
/// end would wait for the test, and the test for it, forever.
final class ChildProcess {
    let process = Process()
    private let folder: URL
    private let outputFile: URL, errorFile: URL

    init(_ executable: URL, _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        (outputFile, errorFile) = (folder.appendingPathComponent("stdout"), folder.appendingPathComponent("stderr"))
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !extra.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 } }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// What the child has written so far. (Read with `FileSystem`: Foundation's
    /// `String(contentsOf:)` leaks a 4 KiB buffer reading a file whose size it sees as 0, as an
    /// empty stdout or /proc's files are, which LeakSanitizer reports by the thousand here.)
    var output: String { (try? FileSystem.readText(outputFile.path)) ?? "" }
    var error: String { (try? FileSystem.readText(errorFile.path)) ?? "" }

    /// Waits for the child to end; its status and everything it wrote.
    func finish() -> (status: Int32, output: String, error: String) {
        process.waitUntilExit()
        return (process.terminationStatus, output, error)
    }

    /// `finish`, unless the child is still running after `seconds`: then it is killed, and nil
    /// says it hung.
    func finish(within seconds: Double) -> (status: Int32, output: String, error: String)? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            signal(SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return finish()
    }

    /// Runs a child to its end.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
        try ChildProcess(executable, arguments, in: directory, environment: environment).finish()
    }

    /// True while the child is stopped (SIGSTOP: state T in /proc).
    var isStopped: Bool {
        guard let stat = try? FileSystem.readText("/proc/\(process.processIdentifier)/stat"),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] == "T"
    }

    /// Waits until the child has stopped itself and written `pauses` lines `paused at M` in all;
    /// the last one's M, or nil when it ended first or `seconds` passed.
    func waitUntilStopped(pauses: Int = 1, seconds: Double = 180) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && process.isRunning {
            let lines = error.split(separator: "\n").filter { $0.hasPrefix("paused at ") }
            if lines.count >= pauses, isStopped { return String(lines[pauses - 1].dropFirst("paused at ".count)) }
            usleep(10_000)
        }
        return nil
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }
}
