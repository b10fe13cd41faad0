import Foundation

/// The engine is compiled for AVX2 and FMA (see Package.swift); on a processor without them it
/// would die of an illegal instruction. What it lacks, in words, or nil; the tools say so first.
public func missingEngineInstructions() -> String? {
    #if arch(x86_64)
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let available = Set(flags.split(separator: " ").map(String.init))
    let missing = ["avx2", "fma"].filter { !available.contains($0) }
    if !missing.isEmpty {
        return "this processor lacks \(missing.joined(separator: " and ")), which the engine is compiled for "
            + "(Package.swift, engineSettings)"
    }
    #endif
    return nil
}

/// The resident set's high-water mark (Linux reports ru_maxrss in KiB).
public func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
