/// Max-pooling with a 2×2 window and stride 2 that records its switches: for every output, the
/// index within its input plane (y · W + x) where the maximum was, as PyTorch's `return_indices`.
/// The engine's pooling is fused into the convolution kernels (`pooledMaximum`), with ReLU;
/// this is the shape, and the backward pass that conv2's kernels do not include.
public struct MaxPool2D: Sendable, Equatable {
    public static let window = 2
    public let channels: Int
    public let inputHeight: Int
    public let inputWidth: Int

    public init(channels: Int, inputHeight: Int, inputWidth: Int) {
        self.channels = channels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
    }

    public var outputHeight: Int { outputSize(input: inputHeight, kernel: Self.window, stride: Self.window, padding: 0) }
    public var outputWidth: Int { outputSize(input: inputWidth, kernel: Self.window, stride: Self.window, padding: 0) }
    public var inputCount: Int { channels * inputPlane }
    public var outputCount: Int { channels * outputPlane }
    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }

    /// The gradient through ReLU and then this pooling, given the pooled rectified maps: writes
    /// `inputGradient` (planes of H × W) with each output gradient at its switch when that
    /// window's maximum is positive, and 0 everywhere else (ReLU passes nothing where it gave 0).
    func backward(inputGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                  switches: UnsafePointer<Int32>, rectified: UnsafePointer<Float>, batch n: Int) {
        zeroFloats(inputGradient, n * inputCount)
        for plane in 0..<(n * channels) {
            let destination = inputGradient + plane * inputPlane
            for o in (plane * outputPlane)..<((plane + 1) * outputPlane) {
                destination[Int(switches[o])] = rectified[o] > 0 ? outputGradient[o] : 0
            }
        }
    }
}
