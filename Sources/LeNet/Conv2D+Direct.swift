/// Direct kernels for a convolution with one input channel and stride 1 (conv1): for such a
/// layer im2col would copy every pixel K² times to feed a GEMM only Cout rows tall, so computing
/// eight outputs of a row at a time from a zero-padded copy of the input is several times faster.
extension Conv2D {
    var hasDirectKernel: Bool { inChannels == 1 && stride == 1 }

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
    /// (Cout, n, Ho, Wo). Each weight is a sum over every output position; a row's four blocks
    /// go to four accumulators, so that their multiply-adds overlap.
    func directBackward(weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                        outputGradient: UnsafePointer<Float>, padded: UnsafePointer<Float>, batch n: Int) {
        precondition(hasDirectKernel)
        let (ho, wo, k, pw) = (outputHeight, outputWidth, kernel, paddedWidth)
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        // One image at a time, so that its padded input and gradient rows stay in the L1 cache;
        // the gradient is copied into rows zero past their end, for whole blocks without masks.
        let rowWidth = 32 * blockGroups
        withUnsafeTemporaryAllocation(of: Float.self, capacity: ho * rowWidth + 8) { rows in
            let g = rows.baseAddress!
            zeroFloats(g, ho * rowWidth)
            for c in 0..<outChannels { biasGradient[c] += sumFloats(outputGradient + c * n * ho * wo, n * ho * wo) }
            for image in 0..<n {
                let source = padded + image * paddedHeight * pw
                for c in 0..<outChannels {
                    let gradients = outputGradient + (c * n + image) * ho * wo
                    for y in 0..<ho { copyFloats(g + y * rowWidth, gradients + y * wo, wo) }
                    for ky in 0..<k {
                        for kx in 0..<k {
                            var s0 = SIMD8<Float>(), s1 = s0, s2 = s0, s3 = s0
                            for y in 0..<ho {
                                let input = source + (y + ky) * pw + kx, gradient = g + y * rowWidth
                                for x in Swift.stride(from: 0, to: rowWidth, by: 32) {
                                    s0.addProduct(load(gradient + x), load(input + x))
                                    s1.addProduct(load(gradient + x + 8), load(input + x + 8))
                                    s2.addProduct(load(gradient + x + 16), load(input + x + 16))
                                    s3.addProduct(load(gradient + x + 24), load(input + x + 24))
                                }
                            }
                            weightGradient[(c * k + ky) * k + kx] += ((s0 + s1) + (s2 + s3)).sum()
                        }
                    }
                }
            }
        }
    }
}

/// Stores the first `count` lanes of `values` (none when `count` is not positive).
@inline(__always)
func store(_ values: SIMD8<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
    if count >= 8 {
        UnsafeMutableRawPointer(destination).storeBytes(of: values, as: SIMD8<Float>.self)
    } else {
        for lane in 0..<max(count, 0) { destination[lane] = values[lane] }
    }
}
