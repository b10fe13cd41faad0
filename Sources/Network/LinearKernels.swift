// The matrix products of the fully connected layers and of the general convolution (`apply`, the
// deconvnet's filters), written out so that every result has one order of operations, fixed by
// this code alone: not by the processor (a BLAS library picks its kernels, and so its summation
// order, by processor at run time), not by the thread count, and not by the tile an element
// falls in. The two kernels below compute each element with the same sequence of fused
// multiply-adds whichever tile, remainder or scalar tail computes it, so a row's result does not
// even depend on how many rows the call has.

/// C[i, j] += Σₚ A[i, p] · B[p, j] for i < m, j < n, p < k, with A[i, p] at
/// `a[i · aRowStride + p · aDepthStride]`, B's rows contiguous (`b[p · bRowStride + j]`) and C's
/// too. Each element starts from its value in C and adds the k products in order p = 0, 1, …, each
/// with one fused multiply-add. Tiles of 4 rows × 24 columns keep twelve eight-lane accumulators
/// in registers; each step loads three vectors of B's row p and broadcasts four values of A.
///
/// Both kernels are never inlined: inlined into the layer passes, the compiler allocated their
/// registers worse, and the forward pass ran at half the speed it has out of line.
@inline(never)
func multiplyAccumulate(rows m: Int, columns n: Int, depth k: Int,
                        _ a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
                        _ b: UnsafePointer<Float>, bRowStride: Int,
                        _ c: UnsafeMutablePointer<Float>, cRowStride: Int, packing: Bool = false) {
    // With `packing`, each panel of B is first copied to contiguous rows of 24: when B's rows lie
    // far apart (an im2col matrix of many images), every step of a tile would otherwise touch a
    // new page. The products and their order are the same either way.
    let panel: UnsafeMutablePointer<Float>? = packing && m > 4 ? .allocate(capacity: k * 24) : nil
    defer { panel?.deallocate() }
    // Column panels outermost: a panel of B (k × 24) stays in the first-level cache for every
    // row tile, and B, the larger operand in the layers' backward pass, is read from memory once.
    let vectorColumns = n & ~7
    var j = 0
    while j < vectorColumns {
        let vectors = vectorColumns - j >= 24 ? 3 : 1
        var (bPanel, bStride) = (UnsafePointer(b + j), bRowStride)
        if let panel {
            for p in 0..<k { copyFloats(panel + p * 24, b + p * bRowStride + j, 8 * vectors) }
            (bPanel, bStride) = (UnsafePointer(panel), 24)
        }
        var i = 0
        while i < m {
            let rows = min(4, m - i)
            let (aRows, cTile) = (a + i * aRowStride, c + i * cRowStride + j)
            if vectors == 3 {
                outerTile(rows: rows, vectors: 3, depth: k, aRows, aRowStride, aDepthStride, bPanel, bStride, cTile, cRowStride)
            } else {
                outerTile(rows: rows, vectors: 1, depth: k, aRows, aRowStride, aDepthStride, bPanel, bStride, cTile, cRowStride)
            }
            i += rows
        }
        j += 8 * vectors
    }
    // The last n mod 8 columns, one element at a time in the same order.
    for row in 0..<m {
        for column in vectorColumns..<n {
            var sum = c[row * cRowStride + column]
            for p in 0..<k { sum.addProduct(a[row * aRowStride + p * aDepthStride], b[p * bRowStride + column]) }
            c[row * cRowStride + column] = sum
        }
    }
}

/// One tile of `multiplyAccumulate`: up to 4 rows × `vectors` (1 or 3) eight-column vectors.
/// Called with constant `vectors`, so that after inlining the unused accumulators disappear;
/// `rows` is 4 except in a panel's last tile.
@inline(__always)
private func outerTile(rows: Int, vectors: Int, depth k: Int,
                       _ a: UnsafePointer<Float>, _ aRowStride: Int, _ aDepthStride: Int,
                       _ b: UnsafePointer<Float>, _ bRowStride: Int,
                       _ c: UnsafeMutablePointer<Float>, _ cRowStride: Int) {
    if rows == 4 {
        outerTile4(vectors: vectors, depth: k, a, aRowStride, aDepthStride, b, bRowStride, c, cRowStride)
    } else {
        for row in 0..<rows {
            outerTile1(vectors: vectors, depth: k, a + row * aRowStride, aDepthStride, b, bRowStride, c + row * cRowStride)
        }
    }
}

@inline(__always)
private func outerTile4(vectors: Int, depth k: Int,
                        _ a: UnsafePointer<Float>, _ aRowStride: Int, _ aDepthStride: Int,
                        _ b: UnsafePointer<Float>, _ bRowStride: Int,
                        _ c: UnsafeMutablePointer<Float>, _ cRowStride: Int) {
    let (c0, c1, c2, c3) = (c, c + cRowStride, c + 2 * cRowStride, c + 3 * cRowStride)
    var s00 = load(c0), s10 = load(c1), s20 = load(c2), s30 = load(c3)
    var s01 = SIMD8<Float>(), s11 = s01, s21 = s01, s31 = s01, s02 = s01, s12 = s01, s22 = s01, s32 = s01
    if vectors > 1 {
        (s01, s11, s21, s31) = (load(c0 + 8), load(c1 + 8), load(c2 + 8), load(c3 + 8))
        (s02, s12, s22, s32) = (load(c0 + 16), load(c1 + 16), load(c2 + 16), load(c3 + 16))
    }
    var ap = a, bp = b
    for _ in 0..<k {
        let b0 = load(bp)
        let b1 = vectors > 1 ? load(bp + 8) : b0, b2 = vectors > 1 ? load(bp + 16) : b0
        var x = SIMD8<Float>(repeating: ap[0])
        s00.addProduct(x, b0); if vectors > 1 { s01.addProduct(x, b1); s02.addProduct(x, b2) }
        x = SIMD8(repeating: ap[aRowStride])
        s10.addProduct(x, b0); if vectors > 1 { s11.addProduct(x, b1); s12.addProduct(x, b2) }
        x = SIMD8(repeating: ap[2 * aRowStride])
        s20.addProduct(x, b0); if vectors > 1 { s21.addProduct(x, b1); s22.addProduct(x, b2) }
        x = SIMD8(repeating: ap[3 * aRowStride])
        s30.addProduct(x, b0); if vectors > 1 { s31.addProduct(x, b1); s32.addProduct(x, b2) }
        ap += aDepthStride
        bp += bRowStride
    }
    store(s00, to: c0, count: 8); store(s10, to: c1, count: 8); store(s20, to: c2, count: 8); store(s30, to: c3, count: 8)
    if vectors > 1 {
        store(s01, to: c0 + 8, count: 8); store(s11, to: c1 + 8, count: 8)
        store(s21, to: c2 + 8, count: 8); store(s31, to: c3 + 8, count: 8)
        store(s02, to: c0 + 16, count: 8); store(s12, to: c1 + 16, count: 8)
        store(s22, to: c2 + 16, count: 8); store(s32, to: c3 + 16, count: 8)
    }
}

@inline(__always)
private func outerTile1(vectors: Int, depth k: Int, _ a: UnsafePointer<Float>, _ aDepthStride: Int,
                        _ b: UnsafePointer<Float>, _ bRowStride: Int, _ c: UnsafeMutablePointer<Float>) {
    var s0 = load(c), s1 = SIMD8<Float>(), s2 = s1
    if vectors > 1 { (s1, s2) = (load(c + 8), load(c + 16)) }
    var ap = a, bp = b
    for _ in 0..<k {
        let x = SIMD8<Float>(repeating: ap[0])
        s0.addProduct(x, load(bp))
        if vectors > 1 { s1.addProduct(x, load(bp + 8)); s2.addProduct(x, load(bp + 16)) }
        ap += aDepthStride
        bp += bRowStride
    }
    store(s0, to: c, count: 8)
    if vectors > 1 { store(s1, to: c + 8, count: 8); store(s2, to: c + 16, count: 8) }
}

/// C[i, j] += A[i, :] · B[j, :] for i < m, j < n over k, with A (m, k) and B (n, k) row-major at
/// row strides `aRowStride` and `bRowStride`, and C (m, n) at `cRowStride`: the product A · Bᵀ,
/// with both operands read along their contiguous rows. Each dot product is `dotProduct`'s, so
/// its order is the same in every tile. Tiles of 4 rows × 3 columns: twelve accumulators, and
/// each step loads three vectors of B and four of A.
@inline(never)
func multiplyTransposedAccumulate(rows m: Int, columns n: Int, depth k: Int,
                                  _ a: UnsafePointer<Float>, aRowStride: Int,
                                  _ b: UnsafePointer<Float>, bRowStride: Int,
                                  _ c: UnsafeMutablePointer<Float>, cRowStride: Int) {
    // Three rows of B at a time, outermost: they stay in the first-level cache for every row
    // tile of A, and B (the weights) is read from memory once, A (a shard's inputs) being small.
    var j = 0
    while j + 3 <= n {
        let bColumns = b + j * bRowStride
        var i = 0
        while i + 4 <= m {
            dotTile(rows: 4, depth: k, a + i * aRowStride, aRowStride, bColumns, bRowStride, c + i * cRowStride + j, cRowStride)
            i += 4
        }
        for row in i..<m {
            dotTile(rows: 1, depth: k, a + row * aRowStride, aRowStride, bColumns, bRowStride, c + row * cRowStride + j, cRowStride)
        }
        j += 3
    }
    for row in 0..<m {
        for column in j..<n { c[row * cRowStride + column] += dotProduct(a + row * aRowStride, b + column * bRowStride, k) }
    }
}

/// x · y over `count` floats, in one fixed order: lane l of an eight-lane accumulator sums, with
/// fused multiply-adds from 0, the products at l, l + 8, l + 16, … below `count` rounded down to
/// a multiple of 8; `laneSum` adds the lanes; the remaining products follow one by one.
@inline(__always)
func dotProduct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
    let vectorCount = count & ~7
    var s = SIMD8<Float>()
    var p = 0
    while p < vectorCount {
        s.addProduct(load(x + p), load(y + p))
        p += 8
    }
    return dotTail(laneSum(s), x, y, from: vectorCount, to: count)
}

@inline(__always)
private func dotTail(_ sum: Float, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, from start: Int, to end: Int) -> Float {
    var sum = sum
    for p in start..<end { sum.addProduct(x[p], y[p]) }
    return sum
}

/// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)), written out rather than left to the
/// standard library's `sum()`, whose order is not promised.
@inline(__always)
func laneSum(_ v: SIMD8<Float>) -> Float {
    let half = v.lowHalf + v.highHalf
    let quarter = half.lowHalf + half.highHalf
    return quarter[0] + quarter[1]
}

/// `rows` (4 or 1, a constant after inlining) × 3 dot products of `multiplyTransposedAccumulate`.
/// The loop runs on pointers: indexed, the compiler unrolls it and spills the accumulators.
@inline(__always)
private func dotTile(rows: Int, depth k: Int, _ a: UnsafePointer<Float>, _ aRowStride: Int,
                     _ b: UnsafePointer<Float>, _ bRowStride: Int,
                     _ c: UnsafeMutablePointer<Float>, _ cRowStride: Int) {
    var s00 = SIMD8<Float>(), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00
    var s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00
    let vectorCount = k & ~7
    var x0 = a, y0 = b
    let end = a + vectorCount
    while x0 < end {
        let u = load(y0), v = load(y0 + bRowStride), w = load(y0 + 2 * bRowStride)
        var x = load(x0)
        s00.addProduct(x, u); s01.addProduct(x, v); s02.addProduct(x, w)
        if rows == 4 {
            x = load(x0 + aRowStride)
            s10.addProduct(x, u); s11.addProduct(x, v); s12.addProduct(x, w)
            x = load(x0 + 2 * aRowStride)
            s20.addProduct(x, u); s21.addProduct(x, v); s22.addProduct(x, w)
            x = load(x0 + 3 * aRowStride)
            s30.addProduct(x, u); s31.addProduct(x, v); s32.addProduct(x, w)
        }
        x0 += 8
        y0 += 8
    }
    let (b0, b1, b2) = (b, b + bRowStride, b + 2 * bRowStride)
    @inline(__always) func finish(_ row: Int, _ t0: SIMD8<Float>, _ t1: SIMD8<Float>, _ t2: SIMD8<Float>) {
        let x = a + row * aRowStride, out = c + row * cRowStride
        out[0] += dotTail(laneSum(t0), x, b0, from: vectorCount, to: k)
        out[1] += dotTail(laneSum(t1), x, b1, from: vectorCount, to: k)
        out[2] += dotTail(laneSum(t2), x, b2, from: vectorCount, to: k)
    }
    finish(0, s00, s01, s02)
    if rows == 4 { finish(1, s10, s11, s12); finish(2, s20, s21, s22); finish(3, s30, s31, s32) }
}

extension Reference {
    /// C + A · B over arrays, as `multiplyAccumulate` computes it: A[i, p] at
    /// `a[i · aRowStride + p · aDepthStride]`, B (k, n) and C (m, n) row-major.
    static func multiplyAccumulate<T: BinaryFloatingPoint>(rows m: Int, columns n: Int, depth k: Int, _ a: [T], aRowStride: Int,
                                                           aDepthStride: Int, _ b: [T], _ c: [T]) -> [T] {
        var result = c
        for i in 0..<m { for j in 0..<n { for p in 0..<k {
            result[i * n + j] += a[i * aRowStride + p * aDepthStride] * b[p * n + j]
        }}}
        return result
    }

    /// C + A · Bᵀ over arrays, as `multiplyTransposedAccumulate` computes it: A (m, k), B (n, k)
    /// and C (m, n) row-major.
    static func multiplyTransposedAccumulate<T: BinaryFloatingPoint>(rows m: Int, columns n: Int, depth k: Int,
                                                                     _ a: [T], _ b: [T], _ c: [T]) -> [T] {
        var result = c
        for i in 0..<m { for j in 0..<n { for p in 0..<k { result[i * n + j] += a[i * k + p] * b[j * k + p] } } }
        return result
    }
}
