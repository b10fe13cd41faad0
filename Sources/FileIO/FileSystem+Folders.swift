import Foundation

/// Whole folders: cloned, swapped, removed, made durable. What the output folder's transaction is
/// built from (ReportKit's `OutputTransaction`).
extension FileSystem {
    /// Swaps two existing paths in one step (Linux's renameat2 with RENAME_EXCHANGE): at every
    /// moment, and after a power cut, each name holds one of the two, whole. Returns false when the
    /// file system or kernel cannot exchange (the caller then falls back on two renames).
    public static func exchange(_ a: String, _ b: String) throws(FileError) -> Bool {
        guard let renameat2 = Self.renameat2 else { return false }
        if renameat2(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0 { return true }
        let code = errno
        if code == EINVAL || code == ENOSYS || code == ENOTSUP { return false }
        throw FileError(path: b, errno: code, writing: true)
    }

    /// glibc's renameat2, looked up at run time: Swift's Glibc module does not declare it.
    private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameat2: Renameat2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: Renameat2.self) }

    /// glibc's syncfs, looked up likewise.
    private static let syncfs: (@convention(c) (Int32) -> Int32)? =
        dlsym(nil, "syncfs").map { unsafeBitCast($0, to: (@convention(c) (Int32) -> Int32).self) }

    /// Renames `from` to `to` (a folder over an empty folder, or a file over a file).
    public static func move(_ from: String, to: String) throws(FileError) {
        guard rename(from, to) == 0 else { throw FileError(path: to, errno: errno, writing: true) }
    }

    /// Makes `destination` (which must not exist) a copy of the folder `source` whose files are
    /// hard links to the source's: no bytes are copied, and since every write replaces a file
    /// through a rename, writing into one folder never changes the other. Names in `skipping`
    /// (at the top level) are left out; files that cannot be linked are copied.
    public static func cloneFolder(_ source: String, to destination: String, skipping: Set<String> = []) throws(FileError) {
        var info = stat()
        guard stat(source, &info) == 0 else { throw FileError(path: source, errno: errno, writing: false) }
        guard mkdir(destination, info.st_mode & 0o7777) == 0 else { throw FileError(path: destination, errno: errno, writing: true) }
        try cloneContents(of: source, into: destination, skipping: skipping)
    }

    /// `cloneFolder`'s work, into a folder that exists.
    public static func cloneContents(of source: String, into destination: String, skipping: Set<String> = []) throws(FileError) {
        var info = stat()
        for name in contents(ofFolder: source) ?? [] where !skipping.contains(name) {
            let from = source.child(name), to = destination.child(name)
            guard lstat(from, &info) == 0 else { throw FileError(path: from, errno: errno, writing: false) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try cloneFolder(from, to: to)
            case S_IFREG:
                if link(from, to) != 0 { try write(try read(from), to: to) }
            case S_IFLNK:
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: from), symlink(target, to) == 0 { break }
                throw FileError(path: to, errno: errno, writing: true)
            default: break   // sockets, pipes, devices: not a report's
            }
        }
    }

    /// Removes `path` and everything below it; a path that is not there is fine.
    public static func removeTree(_ path: String) throws(FileError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw FileError(path: path, errno: errno, writing: true)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in contents(ofFolder: path) ?? [] { try removeTree(path.child(name)) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw FileError(path: path, errno: errno, writing: true) }
        } else {
            try remove(path)
        }
    }

    /// Writes everything the file system holding `path` has in memory to the disk, so that a
    /// rename after it cannot reach the disk before the files it names (a power cut).
    public static func syncFileSystem(of path: String) throws(FileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, errno: errno, writing: false) }
        defer { close(fd) }
        guard let syncfs = Self.syncfs else { sync(); return }
        guard syncfs(fd) == 0 else { throw FileError(path: path, errno: errno, writing: true) }
    }

    /// Makes a folder's entries (a rename in it) durable.
    public static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// True when `path` is a folder (or a link to one).
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when `path` is a folder that another file system is mounted on: it cannot be renamed,
    /// and nothing can be renamed into it from beside it.
    public static func isMountPoint(_ path: String) -> Bool {
        var own = stat(), parent = stat()
        guard stat(path, &own) == 0 else { return false }
        if stat(path.child(".."), &parent) == 0, parent.st_dev != own.st_dev { return true }
        // A bind mount of a folder of the same file system shows only in the mount table.
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        return table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && fields[4].replacingOccurrences(of: "\\040", with: " ") == path
        }
    }
}

private extension String {
    func child(_ name: String) -> String { (self as NSString).appendingPathComponent(name) }
}
