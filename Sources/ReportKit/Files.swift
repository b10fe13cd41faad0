import Foundation

/// Writes to a temporary file beside `path` and renames it into place, so a reader never sees a
/// half-written file. The temporary name is registered until the rename, so that an interrupt
/// can remove it.
func writeAtomically(_ bytes: some DataProtocol, to path: String) throws {
    let temporary = path + ".\(getpid()).tmp"
    TemporaryFiles.insert(temporary)
    defer { TemporaryFiles.remove(temporary) }
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw ReportError("cannot write \(path): \(String(cString: strerror(errno)))") }
    } catch {
        unlink(temporary)
        throw error
    }
}

func createDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

extension String {
    func appending(path component: String) -> String {
        (self as NSString).appendingPathComponent(component)
    }
}

/// The temporary files of writes in flight.
enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []

    static func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    static func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }

    /// Deletes every temporary file still registered.
    static func removeAll() {
        lock.withLock { for path in paths { unlink(path) } }
    }
}
