extension LeNet5 {
    /// LeNet-5's chain, as a model file would describe it.
    public static let kinds: [Layer.Kind] = [
        .convolution(outChannels: conv1.outChannels, kernel: conv1.kernel, stride: conv1.stride, padding: conv1.padding), .relu,
        .maxPool(kernel: MaxPool2D.window, stride: MaxPool2D.window),
        .convolution(outChannels: conv2.outChannels, kernel: conv2.kernel, stride: conv2.stride, padding: conv2.padding), .relu,
        .maxPool(kernel: MaxPool2D.window, stride: MaxPool2D.window),
        .flatten, .linear(outFeatures: fc1.outFeatures), .relu, .linear(outFeatures: fc2.outFeatures), .relu,
        .linear(outFeatures: fc3.outFeatures), .logSoftmax,
    ]

    /// The PyTorch module attributes that hold LeNet-5's weighted layers.
    static let modelNames: [String?] = ["conv1", nil, nil, "conv2", nil, nil, nil, "fc1", nil, "fc2", nil, "fc3", nil]

    /// This model as a `Network`, with the same parameter block; the engine runs it with
    /// LeNet-5's own kernels. `modelNames` are the file's names of its five weighted layers.
    public func network(modelNames names: [String]? = nil) -> Network {
        var modelNames = Self.modelNames
        if let names {
            precondition(names.count == 5, "LeNet-5 has five weighted layers")
            for (i, name) in zip([0, 3, 7, 9, 11], names) { modelNames[i] = name }
        }
        do {
            return try Network(imageHeight: Self.imageSide, imageWidth: Self.imageSide, kinds: Self.kinds, modelNames: modelNames,
                               parameters: parameters, normalization: normalization)
        } catch {
            preconditionFailure("LeNet-5's own chain is a network: \(error)")
        }
    }

    public var network: Network { network() }
}

extension Network {
    /// Whether this is LeNet-5 for 28 × 28 images, which the engine runs with its own kernels.
    public var isLeNet5: Bool { Self.lenet5Layers == layers }

    /// This network as a `LeNet5`, when it is one.
    public var lenet5: LeNet5? { isLeNet5 ? LeNet5(parameters: parameters, normalization: normalization) : nil }

    private static let lenet5Layers = LeNet5(seed: 0).network.layers
}
