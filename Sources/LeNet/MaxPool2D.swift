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

    /// The gradient through ReLU and then this pooling, given the `pooled` maxima of the rectified
    /// maps: writes `inputGradient` (planes of H × W) with each output gradient at its switch when
    /// that window's maximum is positive, and 0 everywhere else (ReLU passes nothing where it gave 0).
    func backward(inputGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                  switches: UnsafePointer<Int32>, pooled: UnsafePointer<Float>, batch n: Int) {
        zeroFloats(inputGradient, n * inputCount)
        for plane in 0..<(n * channels) {
            let destination = inputGradient + plane * inputPlane
            for o in (plane * outputPlane)..<((plane + 1) * outputPlane) {
                destination[Int(switches[o])] = pooled[o] > 0 ? outputGradient[o] : 0
            }
        }
    }
}

/// The maxima of eight 2×2 windows, given as the four vectors of their top left, top right,
/// bottom left and bottom right values, and where each was: an index into a plane `width` wide,
/// counted from the window's top left `index`. A later position wins only when strictly greater,
/// so the first maximum wins ties, as in `Reference.maxPoolForward`.
@inline(__always)
func pooledMaximum(_ topLeft: SIMD8<Float>, _ topRight: SIMD8<Float>, _ bottomLeft: SIMD8<Float>, _ bottomRight: SIMD8<Float>,
                   topLeft index: SIMD8<Int32>, width: Int) -> (SIMD8<Float>, SIMD8<Int32>) {
    let width = Int32(width)
    var best = topLeft, at = index
    var m = topRight .> best
    best.replace(with: topRight, where: m); at.replace(with: index &+ 1, where: m)
    m = bottomLeft .> best
    best.replace(with: bottomLeft, where: m); at.replace(with: index &+ width, where: m)
    m = bottomRight .> best
    best.replace(with: bottomRight, where: m); at.replace(with: index &+ (width + 1), where: m)
    return (best, at)
}

/// ReLU of eight lanes (the standard library's `pointwiseMax` is not inlined into hot loops).
@inline(__always)
func rectify(_ x: SIMD8<Float>) -> SIMD8<Float> { x.replacing(with: 0, where: x .< 0) }
