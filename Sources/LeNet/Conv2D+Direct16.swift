/// Direct kernels for a stride-1, unpadded convolution into sixteen output channels (conv2). Its
/// im2col matrix would copy each input value twenty-five times; instead every input value is
/// broadcast and multiplied into all sixteen output channels at once, two eight-lane halves.
extension Conv2D {
    var hasDirect16Kernel: Bool { outChannels == 16 && stride == 1 && padding == 0 && kernel <= 5 }

    /// The weights as (Cin·K·K, 16): for each input position, the sixteen output channels' weights.
    private func channelsLast(_ weight: UnsafePointer<Float>, into transposed: UnsafeMutablePointer<Float>) {
        for o in 0..<16 { for k in 0..<patchSize { transposed[k * 16 + o] = weight[o * patchSize + k] } }
    }

    /// input (Cin, n, H, W) → output (16, n, Ho, Wo). Five neighbouring outputs of a row are
    /// computed together: ten accumulators, every weight pair loaded once for all five.
    func direct16Forward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                         weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        precondition(hasDirect16Kernel)
        let (ho, wo, k, w) = (outputHeight, outputWidth, kernel, inputWidth)
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * patchSize + 8) { buffer in
            let weights = buffer.baseAddress!
            channelsLast(weight, into: weights)
            let b0 = load(bias), b1 = load(bias + 8)
            for image in 0..<n {
                for y in 0..<ho {
                    for x0 in Swift.stride(from: 0, to: wo, by: 5) {
                        // Past the row's end, the last output is computed again and not stored twice.
                        let last = wo - 1 - x0
                        let (p1, p2, p3, p4) = (min(1, last), min(2, last), min(3, last), min(4, last))
                        var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1
                        for c in 0..<inChannels {
                            let plane = input + (c * n + image) * inputPlane
                            for ky in 0..<k {
                                let row = plane + (y + ky) * w + x0
                                for kx in 0..<k {
                                    let weightPair = weights + ((c * k + ky) * k + kx) * 16
                                    let w0 = load(weightPair), w1 = load(weightPair + 8)
                                    let r = row + kx
                                    var v = SIMD8<Float>(repeating: r[0]); a00.addProduct(w0, v); a01.addProduct(w1, v)
                                    v = SIMD8(repeating: r[p1]); a10.addProduct(w0, v); a11.addProduct(w1, v)
                                    v = SIMD8(repeating: r[p2]); a20.addProduct(w0, v); a21.addProduct(w1, v)
                                    v = SIMD8(repeating: r[p3]); a30.addProduct(w0, v); a31.addProduct(w1, v)
                                    v = SIMD8(repeating: r[p4]); a40.addProduct(w0, v); a41.addProduct(w1, v)
                                }
                            }
                        }
                        let out = output + image * ho * wo + y * wo + x0, channelStride = n * ho * wo
                        @inline(__always) func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, at p: Int) {
                            for lane in 0..<8 {
                                out[lane * channelStride + p] = low[lane]
                                out[(lane + 8) * channelStride + p] = high[lane]
                            }
                        }
                        store(a00, a01, at: 0)
                        if last >= 1 { store(a10, a11, at: 1) }
                        if last >= 2 { store(a20, a21, at: 2) }
                        if last >= 3 { store(a30, a31, at: 3) }
                        if last >= 4 { store(a40, a41, at: 4) }
                    }
                }
            }
        }
    }

    /// Accumulates the weight and bias gradients from the input (Cin, n, H, W) and the output
    /// gradient (16, n, Ho, Wo): for each input channel and kernel row, the (up to) five kernel
    /// columns' sixteen output channels in ten accumulators, over every output position.
    func direct16Backward(weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                          outputGradient: UnsafePointer<Float>, input: UnsafePointer<Float>, batch n: Int) {
        precondition(hasDirect16Kernel)
        let (ho, wo, k, w) = (outputHeight, outputWidth, kernel, inputWidth)
        let positions = n * ho * wo
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        for o in 0..<16 { biasGradient[o] += sumFloats(outputGradient + o * positions, positions) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * positions + 8) { buffer in
            // The gradient with its sixteen channels last, (n, Ho, Wo, 16), for eight-lane loads.
            let gradient = buffer.baseAddress!
            for o in 0..<16 { for i in 0..<positions { gradient[i * 16 + o] = outputGradient[o * positions + i] } }
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
                    for (kx, (low, high)) in [(a00, a01), (a10, a11), (a20, a21), (a30, a31), (a40, a41)].prefix(k).enumerated() {
                        for lane in 0..<8 {
                            weightGradient[(lane * inChannels + c) * k * k + ky * k + kx] += low[lane]
                            weightGradient[((lane + 8) * inChannels + c) * k * k + ky * k + kx] += high[lane]
                        }
                    }
                }
            }
        }
    }
}
