import Foundation
import Testing

/// Runs `determinism-probe` (built beside the test runner) in child processes.
enum Probe {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("determinism-probe")

    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: executable.path) }

    /// The probe's `name digest` lines, after a run on `threads` threads.
    static func run(threads: Int) throws -> [String: String] {
        let run = try ChildProcess.run(executable, [repository.appendingPathComponent("Data").path, "--train-limit", "6000",
                                                    "--epochs", "1", "--threads", "\(threads)"])
        guard run.status == 0 else { throw ProbeError(description: "\(threads) threads: status \(run.status): \(run.error)") }
        var lines: [String: String] = [:]
        for line in run.output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { lines[String(parts[0])] = String(parts[1]) }
        }
        return lines
    }

    struct ProbeError: Error, CustomStringConvertible { let description: String }

    /// The processor's flags, from Linux's /proc/cpuinfo (none elsewhere).
    static let flags: Set<String> = {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
    }()

    /// The engine is compiled for AVX2 and FMA.
    static var canRun: Bool { isBuilt && flags.contains("avx2") && flags.contains("fma") }
}

/// The same seed gives the same bytes on every x86-64 processor with AVX2 and FMA because every
/// number comes from the engine's own kernels, whose order of operations is fixed in their code
/// (`LinearKernels.swift`, `Conv1Kernels.swift`, `Conv2Kernels.swift`), and no library that picks
/// its kernels by processor (a BLAS) is even loaded; and on one thread or two because shards are
/// fixed and summed in order. One epoch on the first 6,000 training images, evaluation on 2,000
/// test images, the deconvnet on an untrained and on the trained model.
@Suite struct CrossProcessorDeterminismTests {
    @Test(.enabled(if: Probe.canRun, "needs determinism-probe built (swift build, or make test) and an x86-64 processor with AVX2 and FMA"))
    func sameBytesOnOneThreadOrTwoWithNoBLASLoaded() throws {
        let one = try Probe.run(threads: 1), two = try Probe.run(threads: 2)
        #expect(one["blas"] == "none" && two["blas"] == "none", "a BLAS library was loaded: \(one["blas"] ?? "-")")
        for name in ["projection", "losses", "model", "evaluation", "deconvnet"] {
            #expect(one[name] != nil, "the probe printed no \(name)")
            #expect(one[name] == two[name], "\(name) differs between one thread and two: \(one[name] ?? "-") vs \(two[name] ?? "-")")
        }
    }
}
