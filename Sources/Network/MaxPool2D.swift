/// Max-pooling with a 2×2 window and stride 2 that records its switches: for every output, the
/// index within its input plane (y · W + x) where the maximum was, as PyTorch's `return_indices`.
/// The engine's pooling is fused into the convolution kernels (`pooledMaximum`), with ReLU, both
/// ways; this is the shape.
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
    @inline(__always) func take(_ candidate: SIMD8<Float>, at position: SIMD8<Int32>) {
        let greater = candidate .> best
        (best, at) = (select(greater, candidate, best), select(greater, position, at))
    }
    take(topRight, at: index &+ 1)
    take(bottomLeft, at: index &+ width)
    take(bottomRight, at: index &+ (width + 1))
    return (best, at)
}

/// `pooledMaximum`'s maxima alone, chosen the same way.
@inline(__always)
func pooledValue(_ topLeft: SIMD8<Float>, _ topRight: SIMD8<Float>, _ bottomLeft: SIMD8<Float>,
                 _ bottomRight: SIMD8<Float>) -> SIMD8<Float> {
    var best = topLeft
    best = select(topRight .> best, topRight, best)
    best = select(bottomLeft .> best, bottomLeft, best)
    return select(bottomRight .> best, bottomRight, best)
}

/// ReLU of eight lanes: x, or +0 where x ≤ 0 (−0 included; NaN stays NaN). With −0 made +0, ReLU
/// commutes exactly with `pooledValue`'s maximum: rectifying the four values and then pooling gives
/// the same bits as pooling and then rectifying once, which is what the kernels do when they need
/// neither switches nor rectified maps.
@inline(__always)
func rectify(_ x: SIMD8<Float>) -> SIMD8<Float> { select(x .<= 0, SIMD8(), x) }
