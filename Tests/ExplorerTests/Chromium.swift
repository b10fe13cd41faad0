import Foundation

/// Debian's headless Chromium, run on a page; `make test` installs it.
enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isInstalled: Bool { path != nil }

    /// Runs Chromium on `page` in a window `width` wide with a profile of its own, and returns
    /// its standard output and error. `extra` adds to the arguments (e.g. `--dump-dom`).
    static func run(_ page: URL, width: Int, height: Int = 1000, extra: [String], timeout: TimeInterval = 300) throws -> (output: String, error: String) {
        guard let path else { throw ChromiumError("chromium is not installed (make test installs Debian's chromium)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
        for file in [out, err] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(folder.path)/profile",
                             "--enable-logging=stderr", "--v=0", "--window-size=\(width),\(height)"] + extra + [page.absoluteString]
        // Files, not pipes: Chromium writes a lot to both, and a full pipe would stall it.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw ChromiumError("chromium did not finish \(page.lastPathComponent) within \(Int(timeout)) s")
        }
        let output = try String(contentsOf: out, encoding: .utf8), error = try String(contentsOf: err, encoding: .utf8)
        guard process.terminationStatus == 0 else {
            throw ChromiumError("chromium exited with status \(process.terminationStatus): \(error.suffix(500))")
        }
        return (output, error)
    }

    /// The page's console messages, which Chromium's log carries as `INFO:CONSOLE…] "message", source: …`.
    static func consoleMessages(in log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    }
}

struct ChromiumError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
