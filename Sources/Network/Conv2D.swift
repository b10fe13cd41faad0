/// A 2-D convolution (cross-correlation, as in PyTorch) over square kernels.
///
/// Activations are channel-major, (C, n, H, W): each channel's planes for the whole batch lie
/// side by side. Then the batch is one matrix product (`multiplyAccumulate`) with no reshuffling:
/// `im2col` lays every receptive field of the `n` images out as the columns of a
/// `patchSize × (n · outputPlane)` matrix, and `weight (Cout × patchSize) · columns` is already
/// the (Cout, n, Ho, Wo) output. For one image
/// the layout is PyTorch's (C, H, W). This general path serves `apply` (the deconvnet's filters);
/// training uses the direct kernels of LeNet-5's two layers, in `Conv1Kernels.swift` and `Conv2Kernels.swift`.
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
    public var inputCount: Int { inChannels * inputPlane }
    public var outputCount: Int { outChannels * outputPlane }
    public var weightCount: Int { outChannels * patchSize }
    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }
    /// Rows of the im2col matrix: one per (input channel, kernel row, kernel column).
    var patchSize: Int { inChannels * kernel * kernel }

    /// Floats of the im2col matrix for `n` images.
    func columnsCount(batch n: Int) -> Int { patchSize * n * outputPlane }

    /// input (Cin, n, H, W), weight (Cout, Cin, K, K), bias (Cout) → output (Cout, n, Ho, Wo).
    /// `columns` receives the im2col matrix.
    func forward(
        output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int,
        columns: UnsafeMutablePointer<Float>
    ) {
        im2col(input, batch: n, into: columns)
        let width = n * outputPlane
        for channel in 0..<outChannels { (output + channel * width).update(repeating: bias[channel], count: width) }
        multiplyAccumulate(rows: outChannels, columns: width, depth: patchSize, weight, aRowStride: patchSize, aDepthStride: 1,
                           columns, bRowStride: width, output, cRowStride: width, packing: true)
    }

    /// The output columns `ox` whose input column `ox · stride − padding + kx` lies inside the image.
    @inline(__always)
    func validColumns(_ kx: Int) -> Range<Int> {
        let first = max(0, (padding - kx + stride - 1) / stride)
        let last = min(outputWidth, (inputWidth + padding - kx + stride - 1) / stride)
        return first..<max(first, last)
    }

    /// Row (c, ky, kx), column (image, oy, ox) of the result is
    /// input[c, image, oy·stride − padding + ky, ox·stride − padding + kx], or 0 in the padding.
    func im2col(_ input: UnsafePointer<Float>, batch n: Int, into columns: UnsafeMutablePointer<Float>) {
        let (ho, wo) = (outputHeight, outputWidth)
        var destination = columns
        for c in 0..<inChannels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let valid = validColumns(kx)
                    for image in 0..<n {
                        let plane = input + (c * n + image) * inputPlane
                        for oy in 0..<ho {
                            let iy = oy * stride - padding + ky
                            if iy < 0 || iy >= inputHeight || valid.isEmpty {
                                zeroFloats(destination, wo)
                            } else {
                                zeroFloats(destination, valid.lowerBound)
                                let row = plane + iy * inputWidth - padding + kx
                                if stride == 1 {
                                    copyFloats(destination + valid.lowerBound, row + valid.lowerBound, valid.count)
                                } else {
                                    for ox in valid { destination[ox] = row[ox * stride] }
                                }
                                zeroFloats(destination + valid.upperBound, wo - valid.upperBound)
                            }
                            destination += wo
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
