import CBLAS
import Dispatch
import Foundation
import Network

/// Row-major single-precision GEMM, C = alpha · op(A) · op(B) + beta · C, where op(A) is m × k and
/// op(B) is k × n. Only for measurements (`report bench`'s yardstick): OpenBLAS picks its kernels,
/// and so the order of its sums, by processor at run time, so no reported number comes from it.
@inline(__always)
func sgemm(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha,
        a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n), beta, c, Int32(n))
}

public enum BLAS {
    /// The engine splits work across cores itself, so OpenBLAS, measured against it, runs each
    /// call on the calling thread: two owners of two cores would oversubscribe them.
    public static func useCallingThreadOnly() {
        openblas_set_num_threads(1)
    }
}

extension BLAS {
    /// The rate `cblas_sgemm` reaches here: `threads` threads each multiply their own
    /// `size × size` matrices, the way the engine uses the cores, for about `seconds` seconds.
    public static func measureSgemmGFLOPs(size: Int = 512, threads: Int = 2, seconds: Double = 1) -> Double {
        useCallingThreadOnly()
        let matrices = (0..<threads).map { _ in (0..<3).map { _ in Buffer<Float>(count: size * size) } }
        for m in matrices { for i in 0..<(size * size) { m[0].pointer[i] = Float(i % 7) / 7; m[1].pointer[i] = Float(i % 5) / 5 } }
        let multiply = { (t: Int) in
            sgemm(m: size, n: size, k: size, matrices[t][0].pointer, matrices[t][1].pointer, matrices[t][2].pointer)
        }
        parallelFor(threads, threads: threads, multiply)  // warm up
        var repetitions = 0
        let start = DispatchTime.now()
        while elapsedSeconds(since: start) < seconds {
            parallelFor(threads, threads: threads, multiply)
            repetitions += 1
        }
        let operations: Int = 2 * size * size * size * threads * repetitions
        return Double(operations) / elapsedSeconds(since: start) / 1e9
    }
}

extension BLAS {
    /// OpenBLAS's build configuration and the kernel it chose for this processor.
    public static var version: String {
        "\(String(cString: openblas_get_config())), \(coreName) kernels"
    }

    /// The kernels OpenBLAS runs: by default the ones it picks for this processor when it loads.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// Makes the yardstick the same on every processor: OpenBLAS's Haswell kernels, which use
    /// AVX2 and FMA, the instructions the engine is compiled for. OpenBLAS picks its kernels when
    /// the library loads, from `OPENBLAS_CORETYPE` or else from the processor, and version 0.3.21
    /// falls back to its SSE3 (Prescott) kernels on processors it does not know, such as the
    /// Xeon (family 6, model 207) this project now runs on, where they reach a fifth of Haswell's
    /// rate; on AVX-512 processors it knows, it picks kernels wider than the engine's. So unless
    /// `OPENBLAS_CORETYPE` is set, this process runs itself again with it set to Haswell (Linux;
    /// elsewhere, or if that fails, it goes on with OpenBLAS's own choice, which `coreName` names).
    public static func useHaswellKernels() {
        guard getenv("OPENBLAS_CORETYPE") == nil, coreName != "Haswell" else { return }
        setenv("OPENBLAS_CORETYPE", "Haswell", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
