/// LeNet-5 for 28 × 28 MNIST digits:
/// conv 6@5×5 pad 2 → ReLU → max-pool 2×2/2 → conv 16@5×5 → ReLU → max-pool 2×2/2 → flatten (400)
/// → linear 120 → ReLU → linear 84 → ReLU → linear 10 → log-softmax.
///
/// All parameters live in one flat block in PyTorch's order and layout (`Parameter`), so a
/// checkpoint is a straight copy and the optimizer is one loop. The model also carries the input
/// convention it was trained with (`normalization`), applied wherever images enter the network,
/// so that everything outside it works on pixels.
public struct LeNet5: Sendable, Equatable {
    public static let imageSide = 28
    public static let classes = 10
    public static let conv1 = Conv2D(inChannels: 1, outChannels: 6, kernel: 5, stride: 1, padding: 2,
                                     inputHeight: imageSide, inputWidth: imageSide)
    public static let pool1 = MaxPool2D(channels: conv1.outChannels, inputHeight: conv1.outputHeight, inputWidth: conv1.outputWidth)
    public static let conv2 = Conv2D(inChannels: pool1.channels, outChannels: 16, kernel: 5, stride: 1, padding: 0,
                                     inputHeight: pool1.outputHeight, inputWidth: pool1.outputWidth)
    public static let pool2 = MaxPool2D(channels: conv2.outChannels, inputHeight: conv2.outputHeight, inputWidth: conv2.outputWidth)
    public static let fc1 = Linear(inFeatures: pool2.outputCount, outFeatures: 120)
    public static let fc2 = Linear(inFeatures: fc1.outFeatures, outFeatures: 84)
    public static let fc3 = Linear(inFeatures: fc2.outFeatures, outFeatures: classes)
    public static let inputCount = imageSide * imageSide

    /// The learnable tensors, named and shaped as in a PyTorch module with attributes conv1, conv2,
    /// fc1, fc2 and fc3.
    public enum Parameter: String, CaseIterable, Sendable {
        case conv1Weight = "conv1.weight", conv1Bias = "conv1.bias"
        case conv2Weight = "conv2.weight", conv2Bias = "conv2.bias"
        case fc1Weight = "fc1.weight", fc1Bias = "fc1.bias"
        case fc2Weight = "fc2.weight", fc2Bias = "fc2.bias"
        case fc3Weight = "fc3.weight", fc3Bias = "fc3.bias"

        public var name: String { rawValue }

        public var shape: [Int] {
            switch self {
            case .conv1Weight: [conv1.outChannels, conv1.inChannels, conv1.kernel, conv1.kernel]
            case .conv1Bias: [conv1.outChannels]
            case .conv2Weight: [conv2.outChannels, conv2.inChannels, conv2.kernel, conv2.kernel]
            case .conv2Bias: [conv2.outChannels]
            case .fc1Weight: [fc1.outFeatures, fc1.inFeatures]
            case .fc1Bias: [fc1.outFeatures]
            case .fc2Weight: [fc2.outFeatures, fc2.inFeatures]
            case .fc2Bias: [fc2.outFeatures]
            case .fc3Weight: [fc3.outFeatures, fc3.inFeatures]
            case .fc3Bias: [fc3.outFeatures]
            }
        }

        public var count: Int { shape.reduce(1, *) }

        /// Inputs per output unit, which sets PyTorch's default initialisation bound 1/√fanIn.
        var fanIn: Int {
            switch self {
            case .conv1Weight, .conv1Bias: conv1.patchSize
            case .conv2Weight, .conv2Bias: conv2.patchSize
            case .fc1Weight, .fc1Bias: fc1.inFeatures
            case .fc2Weight, .fc2Bias: fc2.inFeatures
            case .fc3Weight, .fc3Bias: fc3.inFeatures
            }
        }

        /// Where this tensor starts in the flat parameter block.
        public var offset: Int { Self.offsets[self]! }
        public var range: Range<Int> { offset..<offset + count }

        private static let offsets: [Parameter: Int] = {
            var next = 0
            return Dictionary(uniqueKeysWithValues: allCases.map { p in defer { next += p.count }; return (p, next) })
        }()
    }

    public static let parameterCount = Parameter.allCases.reduce(0) { $0 + $1.count }

    /// Every parameter in `Parameter` order.
    public var parameters: [Float]
    /// What is done to the pixels (byte / 255) before conv1; nil: nothing.
    public var normalization: InputNormalization?

    /// PyTorch's default initialisation: every weight and bias uniform in ±1/√fanIn.
    public init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var parameters = [Float]()
        parameters.reserveCapacity(Self.parameterCount)
        for p in Parameter.allCases {
            let bound = 1 / Float(p.fanIn).squareRoot()
            for _ in 0..<p.count { parameters.append((2 * random.nextUnitFloat() - 1) * bound) }
        }
        self.parameters = parameters
    }

    public init(parameters: [Float], normalization: InputNormalization? = nil) {
        precondition(parameters.count == Self.parameterCount, "LeNet-5 has \(Self.parameterCount) parameters")
        self.parameters = parameters
        self.normalization = normalization
    }

    public subscript(_ p: Parameter) -> ArraySlice<Float> {
        get { parameters[p.range] }
        set {
            precondition(newValue.count == p.count, "\(p.name) holds \(p.count) values")
            parameters.replaceSubrange(p.range, with: newValue)
        }
    }

    /// conv1's filters, (6, 1, 5, 5), and conv2's, (16, 6, 5, 5).
    public var conv1Filters: [Float] { Array(self[.conv1Weight]) }
    public var conv2Filters: [Float] { Array(self[.conv2Weight]) }
}
