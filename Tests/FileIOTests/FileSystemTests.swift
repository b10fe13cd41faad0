import Foundation
import Testing
@testable import FileIO

/// A folder of its own for each test.
func scratchFolder(_ name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fileio-\(name)-\(UUID())").path
    try FileSystem.createFolder(folder)
    return folder
}

/// Runs a command, true when it exits 0.
@discardableResult
func run(_ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// A 64 KiB tmpfs mounted for the duration of `body`: a disk that fills up, and can be made
/// read-only. Mounting needs root (CI runs as root); elsewhere the tests that need it are skipped.
func withTinyDisk(_ body: (String) throws -> Void) throws {
    let mountPoint = try scratchFolder("disk")
    guard run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint]) else {
        Issue.record("could not mount a tmpfs at \(mountPoint)")
        return
    }
    defer { run(["umount", mountPoint]) }
    try body(mountPoint)
}

let canMount = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/mount")

@Suite struct FileSystemTests {
    @Test func writesAndReadsBackAndLeavesNoTemporaryFile() throws {
        let folder = try scratchFolder("roundtrip")
        let path = folder + "/a/b/file.bin"
        try FileSystem.createFolder(folder + "/a/b")
        let bytes = (0..<200_000).map { UInt8($0 % 251) }
        try FileSystem.write(bytes, to: path)
        #expect(try FileSystem.read(path) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/a/b") == ["file.bin"])
        try FileSystem.remove(path)
        try FileSystem.remove(path)   // gone already: fine
        #expect(!FileSystem.exists(path))
    }

    @Test func readingSaysWhatIsWrong() throws {
        let folder = try scratchFolder("read")
        try FileSystem.write([1], to: folder + "/file")
        #expect(throws: FileError(path: folder + "/missing", "cannot be read: not found")) { try FileSystem.read(folder + "/missing") }
        #expect(throws: FileError(path: folder, "cannot be read: is a folder, not a file")) { try FileSystem.read(folder) }
        #expect(throws: FileError(path: folder + "/file/x", "cannot be read: \(folder)/file is a file, not a folder")) {
            try FileSystem.read(folder + "/file/x")
        }
    }

    @Test func aPathThroughAFileIsRefusedInWords() throws {
        let folder = try scratchFolder("through")
        try FileSystem.write([1], to: folder + "/file")
        #expect(throws: FileError(path: folder + "/file/out.pdf", "cannot be written: \(folder)/file is a file, not a folder")) {
            try FileSystem.write([1], to: folder + "/file/out.pdf")
        }
        #expect(throws: FileError(path: folder + "/file/sub", "cannot be written: \(folder)/file is a file, not a folder")) {
            try FileSystem.createFolder(folder + "/file/sub")
        }
        #expect(throws: FileError(path: folder + "/none/out.pdf", "cannot be written: \(folder)/none does not exist")) {
            try FileSystem.write([1], to: folder + "/none/out.pdf")
        }
    }

    /// Every errno a user can cause, in words; never a library's domain or code.
    @Test func errnoInWords() {
        func problem(_ code: Int32, writing: Bool = true) -> String { FileError(path: "out/report.pdf", errno: code, writing: writing).problem }
        #expect(problem(ENOSPC) == "cannot be written: no space left on the device holding out")
        #expect(problem(EDQUOT) == "cannot be written: no space left on the device holding out")
        #expect(problem(EROFS) == "cannot be written: out is on a read-only file system")
        #expect(problem(EACCES) == "cannot be written: permission denied")
        #expect(problem(EACCES, writing: false) == "cannot be read: permission denied")
        #expect(problem(ENOENT, writing: false) == "cannot be read: not found")
        #expect(FileError(path: "report.pdf", errno: ENOSPC, writing: true).problem == "cannot be written: no space left on the device holding .")
    }

    @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"))
    func aFullDiskFailsInWordsAndLeavesTheOldFile() throws {
        try withTinyDisk { disk in
            let path = disk + "/report.pdf"
            try FileSystem.write([UInt8](repeating: 7, count: 1000), to: path)
            #expect(throws: FileError(path: path, "cannot be written: no space left on the device holding \(disk)")) {
                try FileSystem.write([UInt8](repeating: 9, count: 200_000), to: path)
            }
            #expect(try FileSystem.read(path) == [UInt8](repeating: 7, count: 1000), "the previous file is intact")
            #expect(try FileManager.default.contentsOfDirectory(atPath: disk) == ["report.pdf"], "no temporary file is left")
        }
    }

    @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"))
    func aReadOnlyFileSystemFailsInWords() throws {
        try withTinyDisk { disk in
            #expect(run(["mount", "-o", "remount,ro", disk]))
            #expect(throws: FileError(path: disk + "/report.pdf", "cannot be written: \(disk) is on a read-only file system")) {
                try FileSystem.write([1], to: disk + "/report.pdf")
            }
            #expect(throws: FileError(path: disk + "/figures", "cannot be written: \(disk) is on a read-only file system")) {
                try FileSystem.createFolder(disk + "/figures")
            }
        }
    }
}
