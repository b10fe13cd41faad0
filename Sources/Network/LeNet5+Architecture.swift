/// One row of the architecture table: what a layer does and the shape it produces for one image.
public struct LayerSummary: Sendable, Equatable {
    public let name: String
    public let operation: String
    public let kernel: Int?
    public let stride: Int?
    public let padding: Int?
    /// (C, H, W) for feature maps, (features) for vectors.
    public let outputShape: [Int]
    public let parameterCount: Int
    /// Multiply-adds × 2 of this layer's forward pass for one image.
    public let forwardFLOPs: Int
}

extension LeNet5 {
    /// Every layer in order, with output sizes from the same `Conv2D` / `MaxPool2D` geometry the
    /// engine runs on, i.e. O = (I + 2P − K) / S + 1.
    public static let layers: [LayerSummary] = {
        func conv(_ name: String, _ c: Conv2D) -> LayerSummary {
            LayerSummary(name: name, operation: "Conv2d", kernel: c.kernel, stride: c.stride, padding: c.padding,
                         outputShape: [c.outChannels, c.outputHeight, c.outputWidth],
                         parameterCount: c.weightCount + c.outChannels, forwardFLOPs: 2 * c.outputCount * c.patchSize)
        }
        func pool(_ name: String, _ p: MaxPool2D) -> LayerSummary {
            LayerSummary(name: name, operation: "MaxPool2d", kernel: MaxPool2D.window, stride: MaxPool2D.window, padding: 0,
                         outputShape: [p.channels, p.outputHeight, p.outputWidth], parameterCount: 0, forwardFLOPs: 0)
        }
        func linear(_ name: String, _ l: Linear) -> LayerSummary {
            LayerSummary(name: name, operation: "Linear", kernel: nil, stride: nil, padding: nil, outputShape: [l.outFeatures],
                         parameterCount: l.weightCount + l.outFeatures, forwardFLOPs: 2 * l.weightCount)
        }
        func elementwise(_ name: String, _ operation: String, _ shape: [Int]) -> LayerSummary {
            LayerSummary(name: name, operation: operation, kernel: nil, stride: nil, padding: nil,
                         outputShape: shape, parameterCount: 0, forwardFLOPs: 0)
        }
        let c1 = conv("conv1", conv1), p1 = pool("pool1", pool1), c2 = conv("conv2", conv2), p2 = pool("pool2", pool2)
        return [
            elementwise("input", "Input", [1, imageSide, imageSide]),
            c1, elementwise("relu1", "ReLU", c1.outputShape), p1,
            c2, elementwise("relu2", "ReLU", c2.outputShape), p2,
            elementwise("flatten", "Flatten", [pool2.outputCount]),
            linear("fc1", fc1), elementwise("relu3", "ReLU", [fc1.outFeatures]),
            linear("fc2", fc2), elementwise("relu4", "ReLU", [fc2.outFeatures]),
            linear("fc3", fc3), elementwise("log_softmax", "LogSoftmax", [classes]),
        ]
    }()

    /// Floating-point operations of one image's forward pass (multiply-adds count 2).
    public static let forwardFLOPs = layers.reduce(0) { $0 + $1.forwardFLOPs }

    /// One image's forward and backward pass: each weighted layer's backward costs one forward for
    /// the weight gradient and one for the input gradient, which conv1 does not need.
    public static let trainingFLOPs = 3 * forwardFLOPs - 2 * conv1.outputCount * conv1.patchSize
}
