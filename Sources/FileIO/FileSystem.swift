import Foundation

/// Reading and writing files with errors in the project's words (`FileError`). Writes go to a
/// temporary name beside the file and are renamed into place, so no reader, and no later run,
/// ever sees a half-written file.
public enum FileSystem {
    /// The whole file.
    public static func read(_ path: String) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, errno: errno, writing: false) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(path: path, errno: errno, writing: false) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw FileError(path: path, errno: EISDIR, writing: false) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, errno: errno, writing: false)
            }
            bytes += chunk[0..<count]
        }
    }

    /// The whole file as UTF-8 text.
    public static func readText(_ path: String) throws(FileError) -> String {
        guard let text = String(validating: try read(path), as: UTF8.self) else { throw FileError(path: path, "not UTF-8 text") }
        return text
    }

    /// `write`, unless the file holds exactly `bytes` already: then it is left as it is (and stays
    /// a hard link, where it is one into the previous output folder).
    public static func writeIfChanged(_ bytes: some DataProtocol & ContiguousBytes, to path: String) throws(FileError) {
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) == bytes.count, let old = try? read(path),
           old.withUnsafeBytes({ a in bytes.withUnsafeBytes { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }) {
            return
        }
        try write(bytes, to: path)
    }

    /// Writes `bytes` to `path` through a temporary file and a rename. The temporary name is
    /// registered until then, so that an interrupt can remove it (`TemporaryFiles`).
    public static func write(_ bytes: some DataProtocol, to path: String) throws(FileError) {
        let temporary = path + ".\(getpid()).tmp"
        TemporaryFiles.insert(temporary)
        defer { TemporaryFiles.remove(temporary) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, errno: errno, writing: true) }
        func fail(_ code: Int32) -> FileError {
            close(fd)
            unlink(temporary)
            return FileError(path: path, errno: code, writing: true)
        }
        for region in bytes.regions {
            var failure: Int32 = 0
            region.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    offset += written
                }
            }
            if failure != 0 { throw fail(failure) }
        }
        // Network file systems may report a full disk only when the file is closed.
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError(path: path, errno: code, writing: true)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError(path: path, errno: code, writing: true)
        }
    }

    /// Creates `path` and any missing folders above it; once an interrupt has begun ending the
    /// process, waits for that instead (`TemporaryFiles.whileOpen`), so that no folder is made
    /// again after the handler has removed it.
    public static func createFolder(_ path: String) throws(FileError) {
        try TemporaryFiles.whileOpen { () throws(FileError) in
            var prefix = path.hasPrefix("/") ? "/" : ""
            for part in path.split(separator: "/") {
                prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
                if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw FileError(path: prefix, errno: errno, writing: true) }
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw FileError(path: path, FileError.fileInPath(path + "/x").map { "cannot be created: \($0) is a file, not a folder" }
                ?? "cannot be created")
        }
    }

    /// Removes a file; one that is not there is fine.
    public static func remove(_ path: String) throws(FileError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw FileError(path: path, errno: errno, writing: true) }
    }

    /// The names in a folder (without "." and ".."), or nil when there is no such folder.
    public static func contents(ofFolder path: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: path)
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// The temporary files of writes in flight.
public enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var closed = false

    /// Registers a write about to begin; once `removeAll` has run, the process is ending, and the
    /// write waits for that instead of adding a file behind the handler's back.
    static func insert(_ path: String) {
        whileOpen { paths.insert(path) }
    }
    static func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }

    /// Runs `body` unless `removeAll` has run, in which case it waits for the process to end. The
    /// lock is held meanwhile, so `removeAll` waits for a `body` under way.
    static func whileOpen<Failure: Error>(_ body: () throws(Failure) -> Void) throws(Failure) {
        lock.lock()
        guard !closed else {
            lock.unlock()
            while true { pause() }
        }
        defer { lock.unlock() }
        try body()
    }

    /// Deletes every temporary file still registered and lets no new write begin (from a signal
    /// handler's thread, before the process ends).
    public static func removeAll() {
        lock.withLock {
            closed = true
            for path in paths { unlink(path) }
        }
    }
}
