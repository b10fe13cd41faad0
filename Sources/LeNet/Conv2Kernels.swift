/// Direct kernels for a stride-1, unpadded convolution into sixteen output channels (conv2). Its
/// im2col matrix would copy each input value twenty-five times; instead every input value is
/// broadcast and multiplied into all sixteen output channels at once, two eight-lane halves.
extension Conv2D {
    var hasDirect16Kernel: Bool { outChannels == 16 && stride == 1 && padding == 0 && kernel <= 5 }

    /// The weights as (Cin·K·K, 16): for each input position, the sixteen output channels' weights.
    private func channelsLast(_ weight: UnsafePointer<Float>, into transposed: UnsafeMutablePointer<Float>) {
        for o in 0..<16 { for k in 0..<patchSize { transposed[k * 16 + o] = weight[o * patchSize + k] } }
    }

    /// The layer followed by ReLU and 2×2/2 max-pooling, in one pass: input (Cin, n, H, W) →
    /// `pooled` and `switches` (16, n, Ho/2, Wo/2), as `Reference.maxPoolForward` gives them from
    /// the rectified output, which is also written to `rectified` (16, n, Ho, Wo) when given.
    /// Each 2×2 window's four outputs are computed together in eight accumulators, every weight
    /// pair loaded once for all four, and pooled in registers.
    func conv2FusedForward(pooled: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>,
                               rectified: UnsafeMutablePointer<Float>?, input: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int, scratch: Scratch) {
        precondition(hasDirect16Kernel && outputHeight % 2 == 0 && outputWidth % 2 == 0)
        let (ho, wo, k, w) = (outputHeight, outputWidth, kernel, inputWidth)
        let (pw, pooledPlane) = (wo / 2, ho * wo / 4)
        scratch.withBuffer(of: Float.self, capacity: 16 * patchSize) { buffer in
            let weights = buffer.baseAddress!
            channelsLast(weight, into: weights)
            let b0 = load(bias), b1 = load(bias + 8)
            for image in 0..<n {
                for py in 0..<(ho / 2) {
                    for px in 0..<pw {
                        // Window positions in row-major order: top left, top right, bottom left, bottom right.
                        var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
                        for c in 0..<inChannels {
                            let plane = input + (c * n + image) * inputPlane
                            for ky in 0..<k {
                                let top = plane + (2 * py + ky) * w + 2 * px, bottom = top + w
                                for kx in 0..<k {
                                    let weightPair = weights + ((c * k + ky) * k + kx) * 16
                                    let w0 = load(weightPair), w1 = load(weightPair + 8)
                                    var v = SIMD8<Float>(repeating: top[kx]); a00.addProduct(w0, v); a01.addProduct(w1, v)
                                    v = SIMD8(repeating: top[kx + 1]); a10.addProduct(w0, v); a11.addProduct(w1, v)
                                    v = SIMD8(repeating: bottom[kx]); a20.addProduct(w0, v); a21.addProduct(w1, v)
                                    v = SIMD8(repeating: bottom[kx + 1]); a30.addProduct(w0, v); a31.addProduct(w1, v)
                                }
                            }
                        }
                        (a00, a01, a10, a11) = (rectify(a00), rectify(a01), rectify(a10), rectify(a11))
                        (a20, a21, a30, a31) = (rectify(a20), rectify(a21), rectify(a30), rectify(a31))
                        let topLeft = 2 * py * wo + 2 * px
                        // A later position wins only when strictly greater: the first maximum wins ties.
                        let (best0, at0) = pooledMaximum(a00, a10, a20, a30, topLeft: SIMD8(repeating: Int32(topLeft)), width: wo)
                        let (best1, at1) = pooledMaximum(a01, a11, a21, a31, topLeft: SIMD8(repeating: Int32(topLeft)), width: wo)
                        let o = image * pooledPlane + py * pw + px, channelStride = n * pooledPlane
                        for lane in 0..<8 {
                            pooled[lane * channelStride + o] = best0[lane]; switches[lane * channelStride + o] = at0[lane]
                            pooled[(lane + 8) * channelStride + o] = best1[lane]; switches[(lane + 8) * channelStride + o] = at1[lane]
                        }
                        if let rectified {
                            let out = rectified + image * ho * wo + topLeft, mapStride = n * ho * wo
                            @inline(__always) func put(_ low: SIMD8<Float>, _ high: SIMD8<Float>, at offset: Int) {
                                for lane in 0..<8 {
                                    out[lane * mapStride + offset] = low[lane]
                                    out[(lane + 8) * mapStride + offset] = high[lane]
                                }
                            }
                            put(a00, a01, at: 0); put(a10, a11, at: 1); put(a20, a21, at: wo); put(a30, a31, at: wo + 1)
                        }
                    }
                }
            }
        }
    }

    /// Accumulates the weight and bias gradients from the input (Cin, n, H, W) and the output
    /// gradient (16, n, Ho, Wo): for each input channel and kernel row, the (up to) five kernel
    /// columns' sixteen output channels in ten accumulators, over every output position.
    func conv2WeightGradient(weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                          outputGradient: UnsafePointer<Float>, input: UnsafePointer<Float>, batch n: Int, scratch: Scratch) {
        precondition(hasDirect16Kernel)
        let (ho, wo, k, w) = (outputHeight, outputWidth, kernel, inputWidth)
        let positions = n * ho * wo
        for o in 0..<16 { biasGradient[o] += sumFloats(outputGradient + o * positions, positions) }
        scratch.withBuffer(of: Float.self, capacity: 16 * positions) { buffer in
            // The gradient with its sixteen channels last, (n, Ho, Wo, 16), for eight-lane loads.
            let gradient = buffer.baseAddress!
            for i in 0..<positions { for o in 0..<16 { gradient[i * 16 + o] = outputGradient[o * positions + i] } }
            for c in 0..<inChannels {
                for ky in 0..<k {
                    var a00 = SIMD8<Float>(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00, a40 = a00, a41 = a00
                    for image in 0..<n {
                        let plane = input + (c * n + image) * inputPlane
                        for y in 0..<ho {
                            let row = plane + (y + ky) * w
                            var g = gradient + ((image * ho + y) * wo) * 16
                            for x in 0..<wo {
                                let g0 = load(g), g1 = load(g + 8), r = row + x
                                var v = SIMD8<Float>(repeating: r[0]); a00.addProduct(g0, v); a01.addProduct(g1, v)
                                if k > 1 { v = SIMD8(repeating: r[1]); a10.addProduct(g0, v); a11.addProduct(g1, v) }
                                if k > 2 { v = SIMD8(repeating: r[2]); a20.addProduct(g0, v); a21.addProduct(g1, v) }
                                if k > 3 { v = SIMD8(repeating: r[3]); a30.addProduct(g0, v); a31.addProduct(g1, v) }
                                if k > 4 { v = SIMD8(repeating: r[4]); a40.addProduct(g0, v); a41.addProduct(g1, v) }
                                g += 16
                            }
                        }
                    }
                    @inline(__always) func add(_ low: SIMD8<Float>, _ high: SIMD8<Float>, column kx: Int) {
                        guard kx < k else { return }
                        for lane in 0..<8 {
                            weightGradient[(lane * inChannels + c) * k * k + ky * k + kx] += low[lane]
                            weightGradient[((lane + 8) * inChannels + c) * k * k + ky * k + kx] += high[lane]
                        }
                    }
                    add(a00, a01, column: 0); add(a10, a11, column: 1); add(a20, a21, column: 2); add(a30, a31, column: 3); add(a40, a41, column: 4)
                }
            }
        }
    }
}

extension Conv2D {
    /// Writes `inputGradient` (Cin, n, H, W) from the output gradient (16, n, Ho, Wo), for at
    /// most six input channels and an even input width. Eight images share the lanes of each
    /// vector, so every product is useful (spread over input positions, the lanes would mostly
    /// multiply the zeros around the gradient's border): the gradient is transposed to (16, Ho,
    /// Wo + 2, 8 images) with a zero column either side, then each pair of neighbouring input
    /// positions sums its valid kernel offsets for all six channels in twelve accumulators.
    func conv2InputGradient(inputGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, batch n: Int, scratch: Scratch) {
        precondition(hasDirect16Kernel && inChannels <= 6 && inputWidth % 2 == 0)
        let (ho, wo, k, h, w) = (outputHeight, outputWidth, kernel, inputHeight, inputWidth)
        let rowLength = wo + 2
        let (vectors, weightCount) = (16 * ho * rowLength, 16 * k * k * 6)
        scratch.withBuffer(of: SIMD8<Float>.self, capacity: vectors + (weightCount + 7) / 8) { buffer in
            let t = buffer.baseAddress!
            t.initialize(repeating: SIMD8(), count: vectors)
            // The weights as (16, K, K, 6): the six input channels of one kernel position side by side.
            let weights = UnsafeMutableRawPointer(t + vectors).bindMemory(to: Float.self, capacity: weightCount)
            weights.initialize(repeating: 0, count: weightCount)
            for o in 0..<16 { for c in 0..<inChannels { for position in 0..<(k * k) {
                weights[(o * k * k + position) * 6 + c] = weight[(o * inChannels + c) * k * k + position]
            }}}
            for group in Swift.stride(from: 0, to: n, by: 8) {
                let lanes = min(8, n - group)
                for o in 0..<16 {
                    for lane in 0..<lanes {
                        let source = outputGradient + (o * n + group + lane) * ho * wo
                        for oy in 0..<ho {
                            let row = t + (o * ho + oy) * rowLength + 1
                            for ox in 0..<wo { row[ox][lane] = source[oy * wo + ox] }
                        }
                    }
                }
                for y in 0..<h {
                    let ky0 = max(0, y - ho + 1), ky1 = min(k - 1, y)
                    for x in Swift.stride(from: 0, to: w, by: 2) {
                        // Offsets valid for x or x + 1; the zero columns absorb the one that is not.
                        let kx0 = max(0, x - wo + 1), kx1 = min(k - 1, x + 1)
                        var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0
                        var b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0
                        for o in 0..<16 {
                            for ky in ky0...ky1 {
                                let row = t + (o * ho + y - ky) * rowLength + 1 + x
                                let weightRow = weights + (o * k + ky) * k * 6
                                for kx in kx0...kx1 {
                                    let u = row[-kx], v = row[1 - kx], c = weightRow + kx * 6
                                    var s = SIMD8<Float>(repeating: c[0]); a0.addProduct(s, u); b0.addProduct(s, v)
                                    s = SIMD8(repeating: c[1]); a1.addProduct(s, u); b1.addProduct(s, v)
                                    s = SIMD8(repeating: c[2]); a2.addProduct(s, u); b2.addProduct(s, v)
                                    s = SIMD8(repeating: c[3]); a3.addProduct(s, u); b3.addProduct(s, v)
                                    s = SIMD8(repeating: c[4]); a4.addProduct(s, u); b4.addProduct(s, v)
                                    s = SIMD8(repeating: c[5]); a5.addProduct(s, u); b5.addProduct(s, v)
                                }
                            }
                        }
                        @inline(__always) func put(_ c: Int, _ left: SIMD8<Float>, _ right: SIMD8<Float>) {
                            guard c < inChannels else { return }
                            for lane in 0..<lanes {
                                let out = inputGradient + (c * n + group + lane) * h * w + y * w + x
                                (out[0], out[1]) = (left[lane], right[lane])
                            }
                        }
                        put(0, a0, b0); put(1, a1, b1); put(2, a2, b2); put(3, a3, b3); put(4, a4, b4); put(5, a5, b5)
                    }
                }
            }
        }
    }
}
