import CBLAS
import Dispatch
import LeNet

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
        let multiply = { (t: Int) in sgemm(m: size, n: size, k: size, matrices[t][0].pointer, matrices[t][1].pointer, matrices[t][2].pointer) }
        parallelFor(threads, threads: threads, multiply)  // warm up
        var repetitions = 0
        let start = DispatchTime.now()
        while LeNet.seconds(since: start) < seconds {
            parallelFor(threads, threads: threads, multiply)
            repetitions += 1
        }
        return Double(2 * size * size * size * threads * repetitions) / LeNet.seconds(since: start) / 1e9
    }
}

extension BLAS {
    /// OpenBLAS's build configuration and the kernel it chose for this processor.
    public static var version: String {
        "\(String(cString: openblas_get_config())), \(String(cString: openblas_get_corename())) kernels"
    }
}
