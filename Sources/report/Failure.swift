import ArgumentParser
import Foundation

/// Prints `error: message` on one line and exits with status 1.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

/// Runs `body`, turning any thrown error into a one-line failure.
func orFail<T>(_ context: String, _ body: () throws -> T) -> T {
    do { return try body() } catch { fail("\(context): \(error)") }
}
