import Foundation
import Graphics
import Network
import MNIST
import Writeup

/// Where and from what a run came: the command, the git commit, the machine, the software.
struct Provenance {
    let commandLine: String
    let commit: String
    /// The day of that commit (YYYY-MM-DD), so that regenerating it gives the same bytes.
    let commitDate: String?
    let machine: String
    /// The software that computed and drew the report (OpenBLAS computes none of it: it is only
    /// `report bench`'s yardstick, and its kernel choice depends on the host).
    let versions: [(name: String, version: String)]

    /// This process's provenance.
    static func current(commandLine: String) -> Provenance {
        Provenance(commandLine: commandLine, commit: commit, commitDate: commitDate, machine: machine,
                   versions: [("Swift", toolchainVersion)] + MNIST.libraryVersions + Canvas.libraryVersions + Typesetter.libraryVersions)
    }

    /// Runs a command (found on PATH) and returns its trimmed standard output, or nil if it fails.
    /// posix_spawn and waitpid, not Foundation's `Process`, whose `waitUntilExit` took about 0.1 s
    /// to notice each of the three `git` runs end: a tenth of a warm report.
    static func output(of arguments: [String]) -> String? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        posix_spawn_file_actions_addclose(&actions, ends[1])
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        close(ends[1])
        defer { close(ends[0]) }
        guard spawned == 0 else { return nil }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count > 0 { bytes += chunk[0..<count] } else if count == 0 || errno != EINTR { break }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited (the low seven bits 0) with status 0.
        guard status == 0 else { return nil }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let inputs = ["Package.swift", "Sources", "Templates", "Data"]

    static var commitDate: String? {
        output(of: ["git", "log", "-1", "--format=%cs", "--"] + inputs).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The last commit that changed the code, templates or data, marked when they differ from
    /// it. Commits that only change what the report writes do not count, so regenerating a
    /// committed report and committing it leaves the next regeneration unchanged.
    static var commit: String {
        guard let commit = output(of: ["git", "log", "-1", "--format=%h", "--abbrev=12", "--"] + inputs), !commit.isEmpty else {
            return "unknown (not a git checkout)"
        }
        let dirty = !(output(of: ["git", "status", "--porcelain", "--untracked-files=no", "--"] + inputs) ?? "").isEmpty
        return commit + (dirty ? " with uncommitted changes" : "")
    }

    /// "2 × AMD EPYC, Linux".
    static var machine: String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown processor"
        return "\(ProcessInfo.processInfo.activeProcessorCount) × \(cpu), Linux"
    }
}
