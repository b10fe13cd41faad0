import Foundation

/// Runs `body`; a thrown error ends the process with `error: message` on one line and status 1.
func orFail(_ body: () throws -> Void) {
    do { try body() } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(1)
    }
}
