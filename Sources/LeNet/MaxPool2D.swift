/// Max-pooling with a 2×2 window and stride 2 that records its switches: for every output, the
/// index within its input plane (y · W + x) where the maximum was, as PyTorch's `return_indices`.
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

    /// input (n · C planes of H × W, in any order of planes) → output (the same planes, H/2 × W/2)
    /// and switches of the same shape. The first maximum in row-major order wins ties.
    func forward(output: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>,
                 input: UnsafePointer<Float>, batch n: Int) {
        let w = inputWidth
        for plane in 0..<(n * channels) {
            let source = input + plane * inputPlane
            let out = output + plane * outputPlane, index = switches + plane * outputPlane
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    let topLeft = 2 * oy * w + 2 * ox
                    var best = source[topLeft], at = topLeft
                    if source[topLeft + 1] > best { best = source[topLeft + 1]; at = topLeft + 1 }
                    if source[topLeft + w] > best { best = source[topLeft + w]; at = topLeft + w }
                    if source[topLeft + w + 1] > best { best = source[topLeft + w + 1]; at = topLeft + w + 1 }
                    out[oy * outputWidth + ox] = best
                    index[oy * outputWidth + ox] = Int32(at)
                }
            }
        }
    }

    /// Writes `inputGradient` (planes of H × W): each output gradient goes to its switch, the rest
    /// is 0. Given `rectified`, this pooling's output over maps that went through ReLU, it is the
    /// gradient through that ReLU as well: a window whose maximum is 0 passes nothing back.
    func backward(inputGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                  switches: UnsafePointer<Int32>, rectified: UnsafePointer<Float>? = nil, batch n: Int) {
        zeroFloats(inputGradient, n * inputCount)
        for plane in 0..<(n * channels) {
            let destination = inputGradient + plane * inputPlane
            let index = plane * outputPlane
            if let rectified {
                for o in 0..<outputPlane {
                    let g = outputGradient[index + o]
                    destination[Int(switches[index + o])] = rectified[index + o] > 0 ? g : 0
                }
            } else {
                for o in 0..<outputPlane { destination[Int(switches[index + o])] = outputGradient[index + o] }
            }
        }
    }
}
