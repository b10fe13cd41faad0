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

    /// Runs a command and returns its trimmed standard output, or nil if it fails.
    static func output(of arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
