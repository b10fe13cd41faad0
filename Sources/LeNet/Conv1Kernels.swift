/// Direct kernels for a convolution with one input channel, stride 1, at most eight output
/// channels, kernels of at most 5 × 5 and an even output size (conv1), with ReLU and 2×2/2
/// max-pooling fused in. For such a layer im2col would copy every pixel K² times to feed a GEMM
/// only Cout rows tall. Instead the kernels read a zero-padded copy of the input whose rows are
/// split into their even and their odd columns: eight outputs at even columns, or at odd ones,
/// are then eight consecutive values of one half, so the four outputs of eight neighbouring
/// pooling windows are four plain vectors and pooling them takes no shuffles.
extension Conv2D {
    var hasDirectKernel: Bool {
        inChannels == 1 && stride == 1 && outChannels <= 8 && kernel <= 5 && outputHeight % 2 == 0 && outputWidth % 2 == 0
    }

    /// Blocks of eight pooling windows per row.
    var pooledBlocks: Int { (outputWidth / 2 + 7) / 8 }
    /// Length of each half of a split padded row: every block's lanes plus the kernel's reach.
    var halfWidth: Int { 8 * pooledBlocks + kernel / 2 }
    var paddedHeight: Int { inputHeight + 2 * padding }
    func paddedCount(batch n: Int) -> Int { n * paddedHeight * 2 * halfWidth }

    /// input (1, n, H, W) → `padded` (n, H + 2P, 2, halfWidth): every padded row as its even
    /// columns, then its odd columns, with zeros around the image.
    func pad(_ input: UnsafePointer<Float>, batch n: Int, into padded: UnsafeMutablePointer<Float>) {
        zeroFloats(padded, paddedCount(batch: n))
        for image in 0..<n {
            for y in 0..<inputHeight {
                let row = padded + (image * paddedHeight + y + padding) * 2 * halfWidth
                let source = input + (image * inputHeight + y) * inputWidth
                for x in 0..<inputWidth {
                    let column = x + padding
                    row[(column % 2) * halfWidth + column / 2] = source[x]
                }
            }
        }
    }

    /// The offset in a split padded row of column `2i + s`, from the start of its block `i`.
    @inline(__always)
    private func splitOffset(_ s: Int) -> Int { (s & 1) &* halfWidth &+ (s >> 1) }

    /// The layer, ReLU and max-pooling from the padded input: `pooled` and `switches` (Cout, n,
    /// Ho/2, Wo/2) as `Reference.maxPoolForward` gives them, and the rectified output (Cout, n, Ho,
    /// Wo) in `rectified` when given. Two channels at once: eight accumulators, and each input
    /// vector is loaded once for both.
    func conv1FusedForward(pooled: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>,
                             rectified: UnsafeMutablePointer<Float>?, padded: UnsafePointer<Float>,
                             weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        precondition(hasDirectKernel)
        let (wo, k, rowLength) = (outputWidth, kernel, 2 * halfWidth)
        let (pooledHeight, pooledWidth) = (outputHeight / 2, outputWidth / 2)
        let pooledPlane = pooledHeight * pooledWidth
        for image in 0..<n {
            let source = padded + image * paddedHeight * rowLength
            for c0 in Swift.stride(from: 0, to: outChannels, by: 2) {
                let c1 = min(c0 + 1, outChannels - 1)   // an odd last channel is computed twice, stored once
                let (weight0, weight1) = (weight + c0 * k * k, weight + c1 * k * k)
                for py in 0..<pooledHeight {
                    for block in 0..<pooledBlocks {
                        let i0 = 8 * block
                        // Each window's top left, top right, bottom left and bottom right output.
                        var tl0 = SIMD8<Float>(repeating: bias[c0]), tr0 = tl0, bl0 = tl0, br0 = tl0
                        var tl1 = SIMD8<Float>(repeating: bias[c1]), tr1 = tl1, bl1 = tl1, br1 = tl1
                        for ky in 0..<k {
                            let top = source + (2 * py + ky) * rowLength + i0, bottom = top + rowLength
                            let (row0, row1) = (weight0 + ky * k, weight1 + ky * k)
                            // Even output columns 2i read padded column 2i + kx, odd ones 2i + kx + 1:
                            // each column vector serves an even output, then the next odd one.
                            var upper = load(top), lower = load(bottom)
                            for kx in 0..<k {
                                let next = splitOffset(kx &+ 1)
                                let nextUpper = load(top + next), nextLower = load(bottom + next)
                                let a = SIMD8<Float>(repeating: row0[kx]), b = SIMD8<Float>(repeating: row1[kx])
                                tl0.addProduct(upper, a); tl1.addProduct(upper, b); bl0.addProduct(lower, a); bl1.addProduct(lower, b)
                                tr0.addProduct(nextUpper, a); tr1.addProduct(nextUpper, b); br0.addProduct(nextLower, a); br1.addProduct(nextLower, b)
                                (upper, lower) = (nextUpper, nextLower)
                            }
                        }
                        let count = min(8, pooledWidth - i0)
                        let topLeft = SIMD8<Int32>(repeating: Int32(2 * py * wo + 2 * i0)) &+ SIMD8(0, 2, 4, 6, 8, 10, 12, 14)
                        @inline(__always) func finish(_ c: Int, _ tl: SIMD8<Float>, _ tr: SIMD8<Float>, _ bl: SIMD8<Float>, _ br: SIMD8<Float>) {
                            let (tl, tr, bl, br) = (rectify(tl), rectify(tr), rectify(bl), rectify(br))
                            let (best, at) = pooledMaximum(tl, tr, bl, br, topLeft: topLeft, width: wo)
                            let o = (c * n + image) * pooledPlane + py * pooledWidth + i0
                            store(best, to: pooled + o, count: count)
                            store(at, to: switches + o, count: count)
                            if let rectified {
                                let out = rectified + (c * n + image) * outputPlane + 2 * py * wo + 2 * i0
                                for lane in 0..<count {
                                    (out[2 * lane], out[2 * lane + 1]) = (tl[lane], tr[lane])
                                    (out[wo + 2 * lane], out[wo + 2 * lane + 1]) = (bl[lane], br[lane])
                                }
                            }
                        }
                        finish(c0, tl0, tr0, bl0, br0)
                        if c1 != c0 { finish(c1, tl1, tr1, bl1, br1) }
                    }
                }
            }
        }
    }

    /// Accumulates the weight and bias gradients through max-pooling, ReLU and the layer, from
    /// the gradient of the pooled output (Cout, n, Ho/2, Wo/2), the forward pass's `pooled`
    /// maxima and `switches`, and the padded input. Per image, the pooled gradient is unpooled
    /// into one vector per output position with the (at most eight) channels in its lanes; a
    /// window whose maximum is 0 passes nothing, as ReLU blocks it. Then each input value is
    /// broadcast once for all channels, into ten accumulators: one per kernel column for even
    /// output columns and one for odd.
    func conv1WeightGradient(weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                              pooledGradient: UnsafePointer<Float>, pooled: UnsafePointer<Float>,
                              switches: UnsafePointer<Int32>, padded: UnsafePointer<Float>, batch n: Int, scratch: Scratch) {
        precondition(hasDirectKernel)
        let (ho, wo, k, hw) = (outputHeight, outputWidth, kernel, halfWidth)
        let (plane, pooledPlane) = (ho * wo, ho * wo / 4)
        scratch.withBuffer(of: SIMD8<Float>.self, capacity: plane + k * k) { buffer in
            let gradient = buffer.baseAddress!, totals = gradient + plane   // running sums, one per kernel position
            totals.initialize(repeating: SIMD8(), count: k * k)
            for image in 0..<n {
                for p in 0..<plane { gradient[p] = SIMD8() }
                for c in 0..<outChannels {
                    let o = (c * n + image) * pooledPlane
                    var sum: Float = 0
                    for q in 0..<pooledPlane {
                        let g = pooled[o + q] > 0 ? pooledGradient[o + q] : 0
                        gradient[Int(switches[o + q])][c] = g
                        sum += g
                    }
                    biasGradient[c] += sum
                }
                let input = padded + image * paddedHeight * 2 * hw
                for ky in 0..<k {
                    var e0 = SIMD8<Float>(), e1 = e0, e2 = e0, e3 = e0, e4 = e0, o0 = e0, o1 = e0, o2 = e0, o3 = e0, o4 = e0
                    for y in 0..<ho {
                        let row = input + (y + ky) * 2 * hw, g = gradient + y * wo
                        for i in 0..<(wo / 2) {
                            // Output column 2i reads padded column 2i + kx, column 2i + 1 reads 2i + 1 + kx.
                            let v0 = g[2 * i], v1 = g[2 * i + 1], even = row + i, odd = row + hw + i
                            e0.addProduct(v0, SIMD8(repeating: even[0])); o0.addProduct(v1, SIMD8(repeating: odd[0]))
                            if k > 1 { e1.addProduct(v0, SIMD8(repeating: odd[0])); o1.addProduct(v1, SIMD8(repeating: even[1])) }
                            if k > 2 { e2.addProduct(v0, SIMD8(repeating: even[1])); o2.addProduct(v1, SIMD8(repeating: odd[1])) }
                            if k > 3 { e3.addProduct(v0, SIMD8(repeating: odd[1])); o3.addProduct(v1, SIMD8(repeating: even[2])) }
                            if k > 4 { e4.addProduct(v0, SIMD8(repeating: even[2])); o4.addProduct(v1, SIMD8(repeating: odd[2])) }
                        }
                    }
                    let sums = totals + ky * k
                    sums[0] += e0 + o0
                    if k > 1 { sums[1] += e1 + o1 }
                    if k > 2 { sums[2] += e2 + o2 }
                    if k > 3 { sums[3] += e3 + o3 }
                    if k > 4 { sums[4] += e4 + o4 }
                }
            }
            for c in 0..<outChannels {
                for position in 0..<(k * k) { weightGradient[c * k * k + position] += totals[position][c] }
            }
        }
    }
}
