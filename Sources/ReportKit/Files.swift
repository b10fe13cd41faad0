import Foundation

/// Writes to a temporary file beside `path` and renames it into place, so a reader never sees a
/// half-written file.
func writeAtomically(_ bytes: some DataProtocol, to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
}

func createDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

extension String {
    func appending(path component: String) -> String {
        (self as NSString).appendingPathComponent(component)
    }
}
