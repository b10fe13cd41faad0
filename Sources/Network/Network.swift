/// A network that maps one grey image to class log-probabilities through a chain of layers
/// (each feeds only the next): convolutions, ReLUs, max- and average-pooling, one flatten, linear
/// layers, and a final log-softmax. LeNet-5 is one instance (`LeNet5.network`), which the engine
/// runs with its own fused kernels; any other runs on the general kernels (`Network+Forward`).
///
/// All parameters live in one flat block, layer by layer in chain order, each weighted layer's
/// weights (PyTorch's layout) followed by its bias, so LeNet-5's block is `LeNet5.parameters`.
public struct Network: Sendable, Equatable {
    /// What the model file's last layer gave, before it became a log-softmax here.
    public enum DeclaredOutput: String, Sendable, Equatable {
        case logProbabilities = "log-probabilities", probabilities, logits
    }

    public let imageHeight: Int
    public let imageWidth: Int
    public let layers: [Layer]
    /// The model's own name of each layer (`features.3`, `conv1`), where its file has one.
    public let modelNames: [String?]
    /// (C, H, W) for maps, (features) for vectors, after each layer.
    public let outputShapes: [[Int]]
    public let declaredOutput: DeclaredOutput
    /// Every parameter, layer by layer.
    public var parameters: [Float]
    /// What is done to the pixels (byte / 255) before the first layer; nil: nothing.
    public var normalization: InputNormalization?
    /// Where each layer's weights start in `parameters`; its bias follows them.
    public let parameterOffsets: [Int]
    /// The convolutional layers by depth, each with the block whose output is visualised.
    public let convolutionalLayers: [ConvolutionalLayer]

    public var inputCount: Int { imageHeight * imageWidth }
    public var classes: Int { outputShapes.last![0] }
    public var parameterCount: Int { parameters.count }

    /// Builds the chain from what each layer is, computing every size from the image's with
    /// O = (I + 2P − K) / S + 1, and refusing, in one sentence that names the layer, anything that
    /// does not chain or is not supported. A `softmax` at the end becomes a log-softmax; a network
    /// that ends in logits gets one.
    public init(imageHeight: Int, imageWidth: Int, kinds: [Layer.Kind], modelNames: [String?]? = nil,
                parameters: [Float], normalization: InputNormalization? = nil) throws(NetworkError) {
        let modelNames = modelNames ?? kinds.map { _ in nil }
        precondition(modelNames.count == kinds.count, "one name per layer")
        var kinds = kinds, names = modelNames
        var declared = DeclaredOutput.logits
        switch kinds.last {
        case .logSoftmax: declared = .logProbabilities
        case .softmax: declared = .probabilities; kinds[kinds.count - 1] = .logSoftmax
        default: kinds.append(.logSoftmax); names.append(nil)
        }
        var layers = [Layer](), shapes = [[Int]]()
        var shape = [1, imageHeight, imageWidth]
        func describe(_ i: Int) -> String {
            "layer \(i + 1)" + (names[i].map { " (\($0))" } ?? "")
        }
        for (i, kind) in kinds.enumerated() {
            let layer: Layer
            func maps() throws(NetworkError) -> (c: Int, h: Int, w: Int) {
                guard shape.count == 3 else {
                    throw NetworkError("\(describe(i)) needs feature maps, but its input is a vector of \(shape[0])")
                }
                return (shape[0], shape[1], shape[2])
            }
            switch kind {
            case .convolution(let outChannels, let kernel, let stride, let padding):
                let (c, h, w) = try maps()
                guard outChannels > 0, kernel > 0, stride > 0, padding >= 0 else {
                    throw NetworkError("\(describe(i)): a convolution needs positive channels, kernel and stride")
                }
                guard h + 2 * padding >= kernel, w + 2 * padding >= kernel else {
                    throw NetworkError("\(describe(i)): its \(kernel)×\(kernel) kernel is larger than its padded \(h)×\(w) input")
                }
                layer = .convolution(Conv2D(inChannels: c, outChannels: outChannels, kernel: kernel, stride: stride,
                                            padding: padding, inputHeight: h, inputWidth: w))
            case .relu:
                layer = .relu
            case .maxPool(let kernel, let stride), .averagePool(let kernel, let stride):
                let (c, h, w) = try maps()
                guard kernel > 0, stride > 0, kernel <= h, kernel <= w else {
                    throw NetworkError("\(describe(i)): a \(kernel)×\(kernel) pooling window does not fit its \(h)×\(w) input")
                }
                let pooling = Pooling(channels: c, kernel: kernel, stride: stride, inputHeight: h, inputWidth: w)
                if case .maxPool = kind { layer = .maxPool(pooling) } else { layer = .averagePool(pooling) }
            case .flatten:
                _ = try maps()
                layer = .flatten
            case .linear(let outFeatures):
                guard shape.count == 1 else {
                    throw NetworkError("\(describe(i)) is linear, but its input is "
                        + "(\(shape.map(String.init).joined(separator: ", "))) maps, not flattened")
                }
                guard outFeatures > 0 else { throw NetworkError("\(describe(i)): a linear layer needs outputs") }
                layer = .linear(Linear(inFeatures: shape[0], outFeatures: outFeatures))
            case .logSoftmax, .softmax:
                guard i == kinds.count - 1 else { throw NetworkError("\(describe(i)): a softmax can only be the last layer") }
                guard shape.count == 1, shape[0] >= 2 else {
                    throw NetworkError("\(describe(i)): a softmax needs a vector of at least 2 classes")
                }
                layer = .logSoftmax
            }
            shape = Self.outputShape(of: layer, input: shape)
            layers.append(layer)
            shapes.append(shape)
        }
        guard shape.count == 1 else { throw NetworkError("the network ends in feature maps, not a vector of class scores") }
        guard layers.contains(where: { if case .convolution = $0 { true } else { false } }) else {
            throw NetworkError("the network has no convolutional layer to look inside")
        }
        let expected = layers.reduce(0) { $0 + $1.parameterCount }
        guard parameters.count == expected else {
            throw NetworkError("the layers need \(expected) parameters, but \(parameters.count) were given")
        }
        var offsets = [Int](), next = 0
        for layer in layers { offsets.append(next); next += layer.parameterCount }

        self.imageHeight = imageHeight
        self.imageWidth = imageWidth
        self.layers = layers
        self.modelNames = names
        self.outputShapes = shapes
        self.declaredOutput = declared
        self.parameters = parameters
        self.normalization = normalization
        self.parameterOffsets = offsets
        self.convolutionalLayers = Self.blocks(layers, shapes: shapes, names: names)
    }

    static func outputShape(of layer: Layer, input: [Int]) -> [Int] {
        switch layer {
        case .convolution(let c): [c.outChannels, c.outputHeight, c.outputWidth]
        case .maxPool(let p), .averagePool(let p): [p.channels, p.outputHeight, p.outputWidth]
        case .flatten: [input.reduce(1, *)]
        case .linear(let l): [l.outFeatures]
        case .relu, .logSoftmax: input
        }
    }

    /// Each convolution's block: it, and the layers after it up to the next convolution, linear
    /// layer or flatten (its ReLU and pooling).
    private static func blocks(_ layers: [Layer], shapes: [[Int]], names: [String?]) -> [ConvolutionalLayer] {
        var blocks = [ConvolutionalLayer]()
        for (i, layer) in layers.enumerated() {
            guard case .convolution(let conv) = layer else { continue }
            var end = i
            while end + 1 < layers.count, layers[end + 1].continuesABlock { end += 1 }
            blocks.append(ConvolutionalLayer(number: blocks.count + 1, modelName: names[i], layer: i, outputLayer: end,
                                             convolution: conv, outputShape: shapes[end]))
        }
        return blocks
    }

    /// The shape of layer `i`'s input.
    public func inputShape(of i: Int) -> [Int] { i == 0 ? [1, imageHeight, imageWidth] : outputShapes[i - 1] }

    /// A weighted layer's weights and bias.
    public func weights(of i: Int) -> ArraySlice<Float> {
        let start = parameterOffsets[i]
        switch layers[i] {
        case .convolution(let c): return parameters[start..<start + c.weightCount]
        case .linear(let l): return parameters[start..<start + l.weightCount]
        default: return []
        }
    }

    public func bias(of i: Int) -> ArraySlice<Float> {
        let start = parameterOffsets[i]
        switch layers[i] {
        case .convolution(let c): return parameters[start + c.weightCount..<start + c.weightCount + c.outChannels]
        case .linear(let l): return parameters[start + l.weightCount..<start + l.weightCount + l.outFeatures]
        default: return []
        }
    }

    /// The output of the last hidden linear layer (after its ReLU when one follows): the layer
    /// before the classifier, where Zeiler & Fergus measured invariance at the top. nil when the
    /// network has a single linear layer.
    public var lastHiddenLayer: Int? {
        let linear = layers.indices.filter { if case .linear = layers[$0] { true } else { false } }
        guard linear.count >= 2 else { return nil }
        let hidden = linear[linear.count - 2]
        if hidden + 1 < layers.count, case .relu = layers[hidden + 1] { return hidden + 1 }
        return hidden
    }

    /// A short name for each layer, numbered by kind as PyTorch users write them: conv1, relu1,
    /// pool1, flatten, fc1, …, log_softmax.
    public var displayNames: [String] {
        var counts = [String: Int]()
        return layers.map { layer in
            let stem: String
            switch layer {
            case .convolution: stem = "conv"
            case .relu: stem = "relu"
            case .maxPool, .averagePool: stem = "pool"
            case .linear: stem = "fc"
            case .flatten: return "flatten"
            case .logSoftmax: return "log_softmax"
            }
            counts[stem, default: 0] += 1
            return "\(stem)\(counts[stem]!)"
        }
    }
}

/// A convolutional layer as the analyses see it: its convolution and the block output they
/// visualise, after its ReLU and the pooling that follows it, if one does.
public struct ConvolutionalLayer: Sendable, Equatable, Hashable {
    /// 1, 2, … by depth.
    public let number: Int
    /// The model file's name of the convolution (`features.3`), where it has one.
    public let modelName: String?
    /// The convolution's index in `Network.layers`.
    public let layer: Int
    /// The index of the layer whose output is the block's.
    public let outputLayer: Int
    public let convolution: Conv2D
    /// (C, H, W) of the block's output.
    public let outputShape: [Int]

    /// `conv1`, `conv2`, … in every array name, figure and the explorer's API.
    public var name: String { "conv\(number)" }
    public var maps: Int { convolution.outChannels }
    public var mapPlane: Int { outputShape[1] * outputShape[2] }
    public var outputCount: Int { outputShape.reduce(1, *) }

    public func hash(into hasher: inout Hasher) { hasher.combine(number) }
}

public struct NetworkError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
