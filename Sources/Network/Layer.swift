/// One layer of a `Network`, with the geometry it runs on. Maps are (C, H, W) per image; after
/// `flatten` every image is one vector, in PyTorch's (C, H, W) flatten order.
public enum Layer: Sendable, Equatable {
    /// A convolution with weights (Cout, Cin, K, K) and a bias (Cout): one group, dilation 1.
    case convolution(Conv2D)
    case relu
    case maxPool(Pooling)
    /// The mean of each window (no padding, so every window has K · K values).
    case averagePool(Pooling)
    case flatten
    /// y = x · Wᵀ + b with weights (out, in) and a bias (out).
    case linear(Linear)
    /// The last layer of every network: log-probabilities of the classes (a file's `Softmax`
    /// becomes this, and one is added after a network that ends in logits).
    case logSoftmax

    /// What a layer is, without its geometry: what a reader of a model file asks for.
    public enum Kind: Sendable, Equatable {
        case convolution(outChannels: Int, kernel: Int, stride: Int, padding: Int)
        case relu
        case maxPool(kernel: Int, stride: Int)
        case averagePool(kernel: Int, stride: Int)
        case flatten
        case linear(outFeatures: Int)
        case logSoftmax
        /// Read from a file's last layer; the network keeps a log-softmax in its place.
        case softmax
    }

    /// Whether this layer belongs to the block of the convolution before it: its ReLUs and pooling.
    var continuesABlock: Bool {
        switch self {
        case .relu, .maxPool, .averagePool: true
        default: false
        }
    }

    /// The operator's name as PyTorch's modules call it, for the architecture table.
    public var operation: String {
        switch self {
        case .convolution: "Conv2d"
        case .relu: "ReLU"
        case .maxPool: "MaxPool2d"
        case .averagePool: "AvgPool2d"
        case .flatten: "Flatten"
        case .linear: "Linear"
        case .logSoftmax: "LogSoftmax"
        }
    }

    /// Weights and biases, in that order, in the network's parameter block.
    public var parameterCount: Int {
        switch self {
        case .convolution(let c): c.weightCount + c.outChannels
        case .linear(let l): l.weightCount + l.outFeatures
        default: 0
        }
    }
}

/// A pooling window over (C, H, W) maps: K × K windows every S pixels, no padding, the last
/// windows that do not fit left out (PyTorch's default, `ceil_mode=False`).
public struct Pooling: Sendable, Equatable {
    public let channels: Int
    public let kernel: Int
    public let stride: Int
    public let inputHeight: Int
    public let inputWidth: Int

    public init(channels: Int, kernel: Int, stride: Int, inputHeight: Int, inputWidth: Int) {
        self.channels = channels
        self.kernel = kernel
        self.stride = stride
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
    }

    public var outputHeight: Int { outputSize(input: inputHeight, kernel: kernel, stride: stride, padding: 0) }
    public var outputWidth: Int { outputSize(input: inputWidth, kernel: kernel, stride: stride, padding: 0) }
    public var inputCount: Int { channels * inputPlane }
    public var outputCount: Int { channels * outputPlane }
    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }
}
