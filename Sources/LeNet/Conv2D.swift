/// A 2-D convolution (cross-correlation, as in PyTorch) over square kernels.
///
/// The fast path lowers a batch to one GEMM: `im2col` lays every receptive field of the `n` images
/// side by side as the columns of a `patchSize × (n · outputPlane)` matrix, so the whole batch is
/// `weight (Cout × patchSize) · columns`. The backward pass reuses the forward pass's columns.
public struct Conv2D: Sendable, Equatable {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: Int
    public let stride: Int
    public let padding: Int
    public let inputHeight: Int
    public let inputWidth: Int

    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                inputHeight: Int, inputWidth: Int) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
    }

    public var outputHeight: Int { outputSize(input: inputHeight, kernel: kernel, stride: stride, padding: padding) }
    public var outputWidth: Int { outputSize(input: inputWidth, kernel: kernel, stride: stride, padding: padding) }
    public var inputCount: Int { inChannels * inputHeight * inputWidth }
    public var outputCount: Int { outChannels * outputPlane }
    public var weightCount: Int { outChannels * patchSize }
    var outputPlane: Int { outputHeight * outputWidth }
    /// Rows of the im2col matrix: one per (input channel, kernel row, kernel column).
    var patchSize: Int { inChannels * kernel * kernel }

    /// Floats of im2col matrix for `n` images.
    func columnsCount(batch n: Int) -> Int { patchSize * n * outputPlane }
    /// Floats of the channel-major scratch matrix (Cout × n · outputPlane) for `n` images.
    func channelMajorCount(batch n: Int) -> Int { outChannels * n * outputPlane }

    /// input (n, Cin, H, W), weight (Cout, Cin, K, K), bias (Cout) → output (n, Cout, Ho, Wo).
    /// `columns` receives the im2col matrix, which `backward` needs; `scratch` holds
    /// `channelMajorCount(batch:)` floats.
    func forward(
        output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int,
        columns: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        im2col(input, batch: n, into: columns)
        let width = n * outputPlane
        sgemm(m: outChannels, n: width, k: patchSize, weight, columns, scratch)
        // (Cout, n · plane) → (n, Cout, plane), adding the bias on the way.
        for image in 0..<n {
            for channel in 0..<outChannels {
                let source = scratch + channel * width + image * outputPlane
                let destination = output + (image * outChannels + channel) * outputPlane
                let b = bias[channel]
                for p in 0..<outputPlane { destination[p] = source[p] + b }
            }
        }
    }

    /// Accumulates into `weightGradient` (Cout, Cin, K, K) and `biasGradient` (Cout); writes
    /// `inputGradient` (n, Cin, H, W) unless it is nil. `columns` is the forward pass's im2col matrix;
    /// `scratch` holds `channelMajorCount(batch:)` floats and `columnsScratch` (only needed for the
    /// input gradient) `columnsCount(batch:)` floats.
    func backward(
        inputGradient: UnsafeMutablePointer<Float>?, weightGradient: UnsafeMutablePointer<Float>,
        biasGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, batch n: Int, columns: UnsafePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, columnsScratch: UnsafeMutablePointer<Float>?
    ) {
        let width = n * outputPlane
        for image in 0..<n {
            for channel in 0..<outChannels {
                let source = outputGradient + (image * outChannels + channel) * outputPlane
                let destination = scratch + channel * width + image * outputPlane
                destination.update(from: source, count: outputPlane)
            }
        }
        for channel in 0..<outChannels {
            let row = scratch + channel * width
            var sum: Float = 0
            for j in 0..<width { sum += row[j] }
            biasGradient[channel] += sum
        }
        sgemm(transposeB: true, m: outChannels, n: patchSize, k: width, scratch, columns, beta: 1, weightGradient)
        if let inputGradient, let columnsScratch {
            sgemm(transposeA: true, m: patchSize, n: width, k: outChannels, weight, scratch, columnsScratch)
            col2im(columnsScratch, batch: n, into: inputGradient)
        }
    }

    /// Row (c, ky, kx), column (image, oy, ox) of the result is
    /// input[image, c, oy·stride − padding + ky, ox·stride − padding + kx], or 0 in the padding.
    func im2col(_ input: UnsafePointer<Float>, batch n: Int, into columns: UnsafeMutablePointer<Float>) {
        let (ho, wo) = (outputHeight, outputWidth)
        var destination = columns
        for c in 0..<inChannels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    for image in 0..<n {
                        let plane = input + (image * inChannels + c) * inputHeight * inputWidth
                        for oy in 0..<ho {
                            let iy = oy * stride - padding + ky
                            if iy < 0 || iy >= inputHeight {
                                destination.update(repeating: 0, count: wo)
                            } else {
                                let row = plane + iy * inputWidth
                                for ox in 0..<wo {
                                    let ix = ox * stride - padding + kx
                                    destination[ox] = ix >= 0 && ix < inputWidth ? row[ix] : 0
                                }
                            }
                            destination += wo
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: sums every column entry back into the input position it came from.
    func col2im(_ columns: UnsafePointer<Float>, batch n: Int, into input: UnsafeMutablePointer<Float>) {
        let (ho, wo) = (outputHeight, outputWidth)
        input.update(repeating: 0, count: n * inputCount)
        var source = columns
        for c in 0..<inChannels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    for image in 0..<n {
                        let plane = input + (image * inChannels + c) * inputHeight * inputWidth
                        for oy in 0..<ho {
                            let iy = oy * stride - padding + ky
                            if iy >= 0 && iy < inputHeight {
                                let row = plane + iy * inputWidth
                                for ox in 0..<wo {
                                    let ix = ox * stride - padding + kx
                                    if ix >= 0 && ix < inputWidth { row[ix] += source[ox] }
                                }
                            }
                            source += wo
                        }
                    }
                }
            }
        }
    }
}

/// The spatial output size of a convolution or pooling window: O = (I + 2P − K) / S + 1.
public func outputSize(input: Int, kernel: Int, stride: Int, padding: Int) -> Int {
    (input + 2 * padding - kernel) / stride + 1
}
