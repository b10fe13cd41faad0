/// Direct kernels for a convolution with one input channel, stride 1, at most eight output
/// channels and kernels of at most 5 × 5 (conv1): for such a layer im2col would copy every pixel
/// K² times to feed a GEMM only Cout rows tall, so working from a zero-padded copy of the input is
/// several times faster.
extension Conv2D {
    var hasDirectKernel: Bool { inChannels == 1 && stride == 1 && outChannels <= 8 && kernel <= 5 }

    /// Output blocks of eight lanes per row, rounded up to groups of four (one accumulator each).
    var blockGroups: Int { (outputWidth + 31) / 32 }
    /// Row length of the padded input: every block's lanes plus the kernel's reach.
    var paddedWidth: Int { 32 * blockGroups + kernel - 1 }
    var paddedHeight: Int { inputHeight + 2 * padding }
    func paddedCount(batch n: Int) -> Int { n * paddedHeight * paddedWidth }

    /// input (1, n, H, W) → `padded` (n, H + 2P, paddedWidth) with zeros around each image.
    func pad(_ input: UnsafePointer<Float>, batch n: Int, into padded: UnsafeMutablePointer<Float>) {
        zeroFloats(padded, paddedCount(batch: n))
        for image in 0..<n {
            for y in 0..<inputHeight {
                copyFloats(padded + (image * paddedHeight + y + padding) * paddedWidth + padding,
                           input + (image * inputHeight + y) * inputWidth, inputWidth)
            }
        }
    }

    /// The forward pass from the padded input: output (Cout, n, Ho, Wo). Four blocks of a row are
    /// summed at once, so that four chains of multiply-adds overlap instead of waiting on each other.
    func directForward(output: UnsafeMutablePointer<Float>, padded: UnsafePointer<Float>,
                       weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        precondition(hasDirectKernel)
        let (ho, wo, k, pw) = (outputHeight, outputWidth, kernel, paddedWidth)
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        for c in 0..<outChannels {
            let w = weight + c * k * k
            for image in 0..<n {
                let source = padded + image * paddedHeight * pw
                let destination = output + (c * n + image) * ho * wo
                for y in 0..<ho {
                    for group in 0..<blockGroups {
                        var s0 = SIMD8<Float>(repeating: bias[c]), s1 = s0, s2 = s0, s3 = s0
                        for ky in 0..<k {
                            let row = source + (y + ky) * pw + 32 * group
                            for kx in 0..<k {
                                let weight = SIMD8<Float>(repeating: w[ky * k + kx])
                                s0.addProduct(load(row + kx), weight)
                                s1.addProduct(load(row + kx + 8), weight)
                                s2.addProduct(load(row + kx + 16), weight)
                                s3.addProduct(load(row + kx + 24), weight)
                            }
                        }
                        let x = 32 * group, out = destination + y * wo + x
                        store(s0, to: out, count: min(8, wo - x))
                        store(s1, to: out + 8, count: min(8, wo - x - 8))
                        store(s2, to: out + 16, count: min(8, wo - x - 16))
                        store(s3, to: out + 24, count: min(8, wo - x - 24))
                    }
                }
            }
        }
    }

    /// Accumulates the weight and bias gradients from the padded input and the output gradient
    /// (Cout, n, Ho, Wo). The (at most eight) output channels share the lanes of one vector, so
    /// each input value is broadcast once for all of them; a kernel row's (at most five) columns
    /// each have an accumulator.
    func directBackward(weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                        outputGradient: UnsafePointer<Float>, padded: UnsafePointer<Float>, batch n: Int) {
        precondition(hasDirectKernel)
        let (ho, wo, k, pw) = (outputHeight, outputWidth, kernel, paddedWidth)
        let plane = ho * wo
        for c in 0..<outChannels { biasGradient[c] += sumFloats(outputGradient + c * n * plane, n * plane) }
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: plane + k * k) { buffer in
            // One image's gradient with its channels in the lanes (zero past Cout), then the
            // running sums, one vector per kernel position.
            let gradient = buffer.baseAddress!, totals = gradient + plane
            buffer.initialize(repeating: SIMD8())
            for image in 0..<n {
                for c in 0..<outChannels {
                    let source = outputGradient + (c * n + image) * plane
                    for p in 0..<plane { gradient[p][c] = source[p] }
                }
                let input = padded + image * paddedHeight * pw
                for ky in 0..<k {
                    var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0
                    for y in 0..<ho {
                        let row = input + (y + ky) * pw, g = gradient + y * wo
                        for x in 0..<wo {
                            let v = g[x], r = row + x
                            a0.addProduct(v, SIMD8(repeating: r[0]))
                            if k > 1 { a1.addProduct(v, SIMD8(repeating: r[1])) }
                            if k > 2 { a2.addProduct(v, SIMD8(repeating: r[2])) }
                            if k > 3 { a3.addProduct(v, SIMD8(repeating: r[3])) }
                            if k > 4 { a4.addProduct(v, SIMD8(repeating: r[4])) }
                        }
                    }
                    let sums = totals + ky * k
                    sums[0] += a0
                    if k > 1 { sums[1] += a1 }
                    if k > 2 { sums[2] += a2 }
                    if k > 3 { sums[3] += a3 }
                    if k > 4 { sums[4] += a4 }
                }
            }
            for c in 0..<outChannels {
                for position in 0..<(k * k) { weightGradient[c * k * k + position] += totals[position][c] }
            }
        }
    }
}
