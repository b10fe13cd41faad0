import Foundation
import Testing

/// Runs `determinism-probe` (built beside the test runner) in child processes.
enum Probe {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("determinism-probe")

    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: executable.path) }

    /// The probe's `name digest` lines, after a run with OpenBLAS forced to `coreType`'s kernels.
    static func run(coreType: String, threads: Int) throws -> [String: String] {
        let process = Process()
        process.executableURL = executable
        process.arguments = [repository.appendingPathComponent("Data").path, "--train-limit", "6000", "--epochs", "1",
                             "--threads", "\(threads)"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = coreType
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile(), error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProbeError(description: "\(coreType), \(threads) threads: status \(process.terminationStatus): \(String(decoding: error, as: UTF8.self))")
        }
        var lines: [String: String] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
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

    /// The engine is compiled for AVX2 and FMA; OPENBLAS_CORETYPE is read on x86-64 Linux.
    static var canRun: Bool { isBuilt && flags.contains("avx2") && flags.contains("fma") }

    /// OpenBLAS kernels that run on this processor: SkylakeX's need AVX-512 (without it they
    /// stop the process with an illegal instruction); Sandybridge's and Nehalem's use no FMA.
    static var coreTypes: [String] {
        ["Haswell", "Zen", "Sandybridge", "Nehalem"] + (flags.contains("avx512f") ? ["SkylakeX"] : [])
    }
}

/// The same seed gives the same bytes whichever kernels OpenBLAS picks for the processor and on
/// one thread or two: OpenBLAS is not on the path of any reported number. One epoch on the first
/// 6,000 training images, evaluation on 2,000 test images, the deconvnet on an untrained and on
/// the trained model.
@Suite struct CrossProcessorDeterminismTests {
    @Test(.enabled(if: Probe.canRun, "needs determinism-probe built (swift build, or make test) and an x86-64 processor with AVX2 and FMA"))
    func sameBytesUnderEveryOpenBLASKernelAndThreadCount() throws {
        let runs = Probe.coreTypes.map { ($0, 2) } + [("Haswell", 1), ("Nehalem", 1)]
        var results: [(String, [String: String])] = []
        for (coreType, threads) in runs { results.append(("\(coreType) on \(threads) thread\(threads == 1 ? "" : "s")", try Probe.run(coreType: coreType, threads: threads))) }

        // The forced kernels were really in use: OpenBLAS names the ones it runs.
        let kernels = Set(results.compactMap { $0.1["openblas"]?.components(separatedBy: ", ").last })
        #expect(kernels.count >= 3, "OPENBLAS_CORETYPE seems ignored: \(kernels)")
        let (firstName, first) = results[0]
        for name in ["projection", "losses", "model", "evaluation", "deconvnet"] {
            #expect(first[name] != nil, "the probe printed no \(name)")
            for (runName, run) in results.dropFirst() {
                #expect(run[name] == first[name], "\(name) differs between \(firstName) and \(runName): \(first[name] ?? "-") vs \(run[name] ?? "-")")
            }
        }
    }
}
