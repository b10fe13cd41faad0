import FileIO
import Foundation

/// The folder a run writes into, checked before any work: a run that cannot write its results
/// should say so at once, not after training.
enum OutputFolder {
    /// Throws a plain-words error when `path` is not a folder this process can create files in,
    /// or cannot become one. Creates nothing: it probes the folder, or the nearest existing parent.
    static func check(_ path: String, option: String = "--output") throws(ReportError) {
        let manager = FileManager.default
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        while !manager.fileExists(atPath: existing.path, isDirectory: &isDirectory) {
            existing.deleteLastPathComponent()
        }
        guard isDirectory.boolValue else {
            throw ReportError(existing.path == URL(fileURLWithPath: path).standardizedFileURL.path
                ? "\(option) \(path) is a file, not a folder"
                : "\(option) \(path) cannot be created: \(existing.path) is a file, not a folder")
        }
        // Creating and removing an empty folder is the one test that every file system answers
        // truthfully (access(2) says yes for root on read-only and virtual file systems).
        let probe = existing.appendingPathComponent(".report-probe-\(getpid())").path
        guard mkdir(probe, 0o700) == 0 else {
            let reason = FileError.reason(errno: errno, path: probe, writing: true)
            throw ReportError("\(option) \(path) is not writable: cannot create files in \(existing.path): \(reason)")
        }
        rmdir(probe)
    }
}
