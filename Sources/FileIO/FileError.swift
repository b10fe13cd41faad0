import Glibc

/// A problem with a file, worded as one line that names it: what the user can do something
/// about, never a library's error domain or code.
public struct FileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String

    public init(path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }

    /// The failure `code` (an errno value) of reading or writing `path`, in plain words.
    public init(path: String, errno code: Int32, writing: Bool) {
        let reason = Self.reason(errno: code, path: path, writing: writing)
        self.init(path: path, writing ? "cannot be written: \(reason)" : "cannot be read: \(reason)")
    }

    /// Why reading or writing `path` failed with `code`, in plain words.
    public static func reason(errno code: Int32, path: String, writing: Bool) -> String {
        let folder = Self.folder(of: path)
        let reason: String
        switch code {
        case ENOSPC, EDQUOT: reason = "no space left on the device holding \(folder)"
        case EROFS: reason = "\(folder) is on a read-only file system"
        case EACCES, EPERM: reason = "permission denied"
        case ENOTDIR: reason = Self.fileInPath(path).map { "\($0) is a file, not a folder" } ?? "a part of the path is not a folder"
        case EISDIR: reason = "is a folder, not a file"
        case ENOENT: reason = writing ? "\(folder) does not exist" : "not found"
        case ENAMETOOLONG: reason = "the name is too long"
        default: reason = String(cString: strerror(code)).lowercased()
        }
        return reason
    }

    /// The folder a path names a file in ("." for a bare name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The first leading part of `path` that exists and is not a folder.
    static func fileInPath(_ path: String) -> String? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/").dropLast() {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            var info = stat()
            if stat(prefix, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR { return prefix }
        }
        return nil
    }
}
