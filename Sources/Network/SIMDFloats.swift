// Float runs eight lanes at a time: short copies (im2col moves runs of 10 to 28 floats, where a
// memmove call costs more than the move), sums and loads and stores of eight lanes, and the fused
// multiply-add of eight lanes that the kernels are made of.
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

extension SIMD8 where Scalar == Float {
    /// self + a · b in every lane, rounded once: the same as the standard library's `addProduct`,
    /// which is a loop over the lanes that the optimiser may or may not turn into one instruction.
    /// In kernels with a dozen accumulators it often did not (it split them into half-width pieces
    /// and spilled), so on x86-64 this is the FMA instruction itself.
    @inline(__always)
    mutating func addFused(_ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        #if arch(x86_64)
        self = _mm256_fmadd_ps(a, b, self)
        #else
        addProduct(a, b)
        #endif
    }
}

/// `a` in the lanes where `mask` is true, `b` elsewhere. The standard library's `replacing(with:
/// where:)` is a loop over the lanes, which the optimiser sometimes turned into shuffles of the
/// mask's bytes; on x86-64 this is one blend instruction.
@inline(__always)
func select<Scalar: SIMDScalar>(_ mask: SIMDMask<SIMD8<Int32>>, _ a: SIMD8<Scalar>, _ b: SIMD8<Scalar>) -> SIMD8<Scalar> {
    precondition(MemoryLayout<Scalar>.size == 4)
    #if arch(x86_64)
    let lanes = _mm256_blendv_ps(unsafeBitCast(b, to: SIMD8<Float>.self), unsafeBitCast(a, to: SIMD8<Float>.self),
                                 unsafeBitCast(mask._storage, to: SIMD8<Float>.self))
    return unsafeBitCast(lanes, to: SIMD8<Scalar>.self)
    #else
    return b.replacing(with: a, where: mask)
    #endif
}

@inline(__always)
func copyFloats(_ destination: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, _ count: Int) {
    var i = 0
    while i + 8 <= count {
        UnsafeMutableRawPointer(destination + i).storeBytes(of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self),
                                                            as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        destination[i] = source[i]
        i += 1
    }
}

@inline(__always)
func addFloats(_ destination: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, _ count: Int) {
    var i = 0
    while i + 8 <= count {
        let sum = UnsafeRawPointer(destination + i).loadUnaligned(as: SIMD8<Float>.self)
            + UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(destination + i).storeBytes(of: sum, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        destination[i] += source[i]
        i += 1
    }
}

@inline(__always)
func zeroFloats(_ destination: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 8 <= count {
        UnsafeMutableRawPointer(destination + i).storeBytes(of: SIMD8<Float>(), as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        destination[i] = 0
        i += 1
    }
}

/// Stores the first `count` lanes of `values` (none when `count` is not positive).
@inline(__always)
func store<Scalar: SIMDScalar>(_ values: SIMD8<Scalar>, to destination: UnsafeMutablePointer<Scalar>, count: Int) {
    if count >= 8 {
        UnsafeMutableRawPointer(destination).storeBytes(of: values, as: SIMD8<Scalar>.self)
    } else {
        for lane in 0..<max(count, 0) { destination[lane] = values[lane] }
    }
}

/// Eight floats from `source`, which need not be aligned.
@inline(__always)
func load(_ source: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self) }
