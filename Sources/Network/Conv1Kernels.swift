/// Direct kernels for a convolution with one input channel, stride 1, kernels of at most 5 × 5 and
/// an even output size (conv1), with ReLU and 2×2/2 max-pooling fused in. For such a layer im2col
/// would copy every pixel K² times to feed a GEMM only Cout rows tall.
///
/// The forward pass reads a zero-padded copy of the input whose rows are split into their even and
/// their odd columns: eight outputs at even columns, or at odd ones, are then eight consecutive
/// values of one half, so the four outputs of eight neighbouring pooling windows are four plain
/// vectors and pooling them takes no shuffles. The weight gradient reads a second, plain padded
/// copy: it visits only the output that each window's switch names, the one that max-pooling
/// passes a gradient to, and multiplies the 5 × 5 input patch under it as five row vectors.
extension Conv2D {
    var hasDirectKernel: Bool {
        inChannels == 1 && stride == 1 && kernel <= 5 && outputHeight % 2 == 0 && outputWidth % 2 == 0
    }

    /// Blocks of eight pooling windows per row.
    var pooledBlocks: Int { (outputWidth / 2 + 7) / 8 }
    /// Length of each half of a split padded row: every block's lanes plus the kernel's reach.
    var halfWidth: Int { 8 * pooledBlocks + kernel / 2 }
    var paddedHeight: Int { inputHeight + 2 * padding }
    var paddedWidth: Int { inputWidth + 2 * padding }
    /// Floats of the split rows of `n` images.
    func paddedCount(batch n: Int) -> Int { n * paddedHeight * 2 * halfWidth }
    /// Floats of the plain padded rows of `n` images, plus eight so that an eight-lane load at the
    /// last row's end stays inside.
    func plainPaddedCount(batch n: Int) -> Int { n * paddedHeight * paddedWidth + 8 }

    /// input (1, n, H, W) → `padded` (n, H + 2P, 2, halfWidth), every padded row as its even
    /// columns, then its odd columns, and `plain` (n, H + 2P, W + 2P), the padded rows as they are,
    /// when given (the weight gradient reads them). Writes only the images' own positions, at
    /// offsets that do not depend on n: the rest of both must be zero, as a new `Buffer` is, and
    /// stays so.
    func pad(_ input: UnsafePointer<Float>, batch n: Int, into padded: UnsafeMutablePointer<Float>, plain: UnsafeMutablePointer<Float>?) {
        let vectorWidth = inputWidth & ~7
        // Columns x + P of the even lanes of eight (x a multiple of 8) have the parity of P, those
        // of the odd lanes the other one.
        let (evenLanes, oddLanes) = ((padding & 1) * halfWidth + padding / 2, ((padding + 1) & 1) * halfWidth + (padding + 1) / 2)
        for image in 0..<n {
            for y in 0..<inputHeight {
                let row = padded + (image * paddedHeight + y + padding) * 2 * halfWidth
                let source = input + (image * inputHeight + y) * inputWidth
                @inline(__always) func split(_ x: Int) {   // x even
                    let v = load(source + x)
                    UnsafeMutableRawPointer(row + evenLanes + x / 2).storeBytes(of: v.evenHalf, as: SIMD4<Float>.self)
                    UnsafeMutableRawPointer(row + oddLanes + x / 2).storeBytes(of: v.oddHalf, as: SIMD4<Float>.self)
                }
                for x in Swift.stride(from: 0, to: vectorWidth, by: 8) { split(x) }
                if vectorWidth < inputWidth, inputWidth >= 8, inputWidth % 2 == 0 {
                    split(inputWidth - 8)   // the row's last eight, writing some columns again with the same values
                } else {
                    for x in vectorWidth..<inputWidth {
                        let column = x + padding
                        row[(column % 2) * halfWidth + column / 2] = source[x]
                    }
                }
                if let plain { copyFloats(plain + (image * paddedHeight + y + padding) * paddedWidth + padding, source, inputWidth) }
            }
        }
    }

    /// The offset in a split padded row of column `2i + s`, from the start of its block `i`.
    @inline(__always)
    private func splitOffset(_ s: Int) -> Int { (s & 1) &* halfWidth &+ (s >> 1) }

    /// The layer, ReLU and max-pooling from the padded input: `pooled` and, when given, `switches`
    /// (Cout, n, Ho/2, Wo/2) as `Reference.maxPoolForward` gives them, and the rectified output
    /// (Cout, n, Ho, Wo) in `rectified` when given. Each output is its bias, then the products in
    /// kernel order (row by row, column by column), each added with one fused multiply-add. Two
    /// channels at once: eight accumulators, and each input vector is loaded once for both.
    func conv1FusedForward(pooled: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>?,
                           rectified: UnsafeMutablePointer<Float>?, padded: UnsafePointer<Float>,
                           weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        precondition(hasDirectKernel)
        if kernel == 5 {
            conv1Forward(FiveByFive.self, pooled: pooled, switches: switches, rectified: rectified, padded: padded, weight: weight,
                         bias: bias, batch: n)
        } else {
            conv1Forward(AnySize.self, pooled: pooled, switches: switches, rectified: rectified, padded: padded, weight: weight,
                         bias: bias, batch: n)
        }
    }

    private func conv1Forward<Size: KernelSize>(_: Size.Type, pooled: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>?,
                                                rectified: UnsafeMutablePointer<Float>?, padded: UnsafePointer<Float>,
                                                weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        let (wo, k, rowLength) = (outputWidth, Size.fixed ?? kernel, 2 * halfWidth)
        let (pooledHeight, pooledWidth) = (outputHeight / 2, outputWidth / 2)
        let pooledPlane = pooledHeight * pooledWidth
        for image in 0..<n {
            let source = padded + image * paddedHeight * rowLength
            for c0 in Swift.stride(from: 0, to: outChannels, by: 2) {
                let c1 = min(c0 + 1, outChannels - 1)   // an odd last channel is computed twice, stored once
                let (weight0, weight1) = (weight + c0 * k * k, weight + c1 * k * k)
                for py in 0..<pooledHeight {
                    for block in 0..<pooledBlocks {
                        // The last block ends at the row's end, overlapping the one before it if
                        // need be, so that every store is of eight lanes.
                        let i0 = pooledWidth >= 8 ? min(8 * block, pooledWidth - 8) : 0
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
                                tl0.addFused(upper, a); tl1.addFused(upper, b); bl0.addFused(lower, a); bl1.addFused(lower, b)
                                tr0.addFused(nextUpper, a); tr1.addFused(nextUpper, b)
                                br0.addFused(nextLower, a); br1.addFused(nextLower, b)
                                (upper, lower) = (nextUpper, nextLower)
                            }
                        }
                        let count = min(8, pooledWidth - i0)
                        let topLeft = SIMD8<Int32>(repeating: Int32(2 * py * wo + 2 * i0)) &+ SIMD8(0, 2, 4, 6, 8, 10, 12, 14)
                        @inline(__always) func finish(_ c: Int, _ tl: SIMD8<Float>, _ tr: SIMD8<Float>,
                                                      _ bl: SIMD8<Float>, _ br: SIMD8<Float>) {
                            let o = (c * n + image) * pooledPlane + py * pooledWidth + i0
                            guard switches != nil || rectified != nil else {
                                // ReLU commutes with the maximum (see `rectify`): one rectification suffices.
                                return store(rectify(pooledValue(tl, tr, bl, br)), to: pooled + o, count: count)
                            }
                            let (tl, tr, bl, br) = (rectify(tl), rectify(tr), rectify(bl), rectify(br))
                            if let switches {
                                let (best, at) = pooledMaximum(tl, tr, bl, br, topLeft: topLeft, width: wo)
                                store(best, to: pooled + o, count: count)
                                store(at, to: switches + o, count: count)
                            } else {
                                store(pooledValue(tl, tr, bl, br), to: pooled + o, count: count)
                            }
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
    /// the gradient of the pooled output (Cout, n, Ho/2, Wo/2), the forward pass's `pooled` maxima
    /// and `switches`, and the plain padded rows (`pad`). Only the output a window's switch names receives a
    /// gradient (none when the window's maximum is 0: ReLU blocks it), so each window contributes
    /// its gradient times the K × K input patch under that output, K row vectors.
    ///
    /// Order: for each weight, one fused multiply-add chain from 0 over the images, then the
    /// windows in row-major order, added to `weightGradient` at the end; each bias sums its
    /// windows' gradients in the same order from 0, then is added to `biasGradient`.
    func conv1WeightGradient(weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                             pooledGradient: UnsafePointer<Float>, pooled: UnsafePointer<Float>,
                             switches: UnsafePointer<Int32>, plain: UnsafePointer<Float>, batch n: Int, scratch: Scratch) {
        precondition(hasDirectKernel)
        let (windows, plane) = (n * outputPlane / 4, outputPlane / 4)
        scratch.withBuffer(of: Float.self, capacity: 2 * outChannels * windows + 2 * plane) { buffer in
            let gradient = buffer.baseAddress!
            let offsets = UnsafeMutableRawPointer(gradient + outChannels * windows)
                .bindMemory(to: Int32.self, capacity: outChannels * windows + 2 * plane)
            routeThroughPooling(gradient: gradient, offsets: offsets, tables: offsets + outChannels * windows,
                                pooledGradient: pooledGradient, pooled: pooled, switches: switches, batch: n)
            if kernel == 5 {
                conv1Gradient(FiveByFive.self, weightGradient: weightGradient, biasGradient: biasGradient, gradient: gradient,
                              offsets: offsets, plain: plain, batch: n)
            } else {
                conv1Gradient(AnySize.self, weightGradient: weightGradient, biasGradient: biasGradient, gradient: gradient,
                              offsets: offsets, plain: plain, batch: n)
            }
        }
    }

    /// For every (channel, image, window): the gradient that passes ReLU and the pool (0 when the
    /// window's maximum is not positive), and the offset in the plain padded rows of the input
    /// patch under the output its switch names. `tables` has room for two Int32 per window of a
    /// plane.
    private func routeThroughPooling(gradient: UnsafeMutablePointer<Float>, offsets: UnsafeMutablePointer<Int32>,
                                     tables: UnsafeMutablePointer<Int32>, pooledGradient: UnsafePointer<Float>,
                                     pooled: UnsafePointer<Float>, switches: UnsafePointer<Int32>, batch n: Int) {
        let (wo, wp, pw, plane, imageFloats) = (outputWidth, paddedWidth, outputWidth / 2, outputPlane / 4, paddedHeight * paddedWidth)
        // Per window of a plane: its top left output, and where that output's patch starts.
        let (topLefts, patches) = (tables, tables + plane)
        for q in 0..<plane {
            let (py, px) = (q / pw, q % pw)
            (topLefts[q], patches[q]) = (Int32(2 * py * wo + 2 * px), Int32(2 * py * wp + 2 * px))
        }
        let (width, below) = (Int32(wo), Int32(wp - wo))
        var r = 0
        for p in 0..<(outChannels * n) {
            let image = Int32(truncatingIfNeeded: p % n * imageFloats)
            for q in 0..<plane {
                // The switch from the window's top left: 0, 1, Wo or Wo + 1; the patch of output
                // (y, x) starts at padded (y, x). Selects, not branches: the data decides.
                let (g, m) = (pooledGradient[r], pooled[r])
                gradient[r] = m > 0 ? g : 0
                let d = switches[r] &- topLefts[q]
                offsets[r] = patches[q] &+ image &+ d &+ (d >= width ? below : 0)
                r &+= 1
            }
        }
    }

    private func conv1Gradient<Size: KernelSize>(_: Size.Type, weightGradient: UnsafeMutablePointer<Float>,
                                                 biasGradient: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                                                 offsets: UnsafePointer<Int32>, plain: UnsafePointer<Float>, batch n: Int) {
        let (k, wp, windows) = (Size.fixed ?? kernel, paddedWidth, n * outputPlane / 4)
        // Two channels at once: ten accumulators, one per kernel row, its columns in the lanes.
        for c0 in Swift.stride(from: 0, to: outChannels, by: 2) {
            let c1 = min(c0 + 1, outChannels - 1)
            var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0
            var bias0: Float = 0, bias1: Float = 0
            let (g0, g1, o0, o1) = (gradient + c0 * windows, gradient + c1 * windows, offsets + c0 * windows, offsets + c1 * windows)
            for i in 0..<windows {
                let (p0, p1) = (plain + Int(o0[i]), plain + Int(o1[i]))
                let (v0, v1) = (SIMD8<Float>(repeating: g0[i]), SIMD8<Float>(repeating: g1[i]))
                a0.addFused(v0, load(p0)); b0.addFused(v1, load(p1))
                if k > 1 { a1.addFused(v0, load(p0 + wp)); b1.addFused(v1, load(p1 + wp)) }
                if k > 2 { a2.addFused(v0, load(p0 + 2 * wp)); b2.addFused(v1, load(p1 + 2 * wp)) }
                if k > 3 { a3.addFused(v0, load(p0 + 3 * wp)); b3.addFused(v1, load(p1 + 3 * wp)) }
                if k > 4 { a4.addFused(v0, load(p0 + 4 * wp)); b4.addFused(v1, load(p1 + 4 * wp)) }
                bias0 += g0[i]
                bias1 += g1[i]
            }
            @inline(__always) func add(_ c: Int, _ ky: Int, _ row: SIMD8<Float>) {
                guard ky < k else { return }
                for kx in 0..<k { weightGradient[(c * k + ky) * k + kx] += row[kx] }
            }
            add(c0, 0, a0); add(c0, 1, a1); add(c0, 2, a2); add(c0, 3, a3); add(c0, 4, a4)
            biasGradient[c0] += bias0
            if c1 != c0 {
                add(c1, 0, b0); add(c1, 1, b1); add(c1, 2, b2); add(c1, 3, b3); add(c1, 4, b4)
                biasGradient[c1] += bias1
            }
        }
    }
}
