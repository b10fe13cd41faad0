import Network

/// The two convolutional layers a deconvnet layer is attached to.
public enum ConvLayer: String, CaseIterable, Sendable {
    case conv1, conv2

    public var conv: Conv2D { self == .conv1 ? LeNet5.conv1 : LeNet5.conv2 }
    public var pool: MaxPool2D { self == .conv1 ? LeNet5.pool1 : LeNet5.pool2 }
    public var weights: LeNet5.Parameter { self == .conv1 ? .conv1Weight : .conv2Weight }
    public var bias: LeNet5.Parameter { self == .conv1 ? .conv1Bias : .conv2Bias }
    public var maps: Int { conv.outChannels }
    /// The same layer of `LeNet5.network`.
    public var block: ConvolutionalLayer { LeNet5.blocks[self == .conv1 ? 0 : 1] }

    /// All 22 maps in the order of the exports: conv1's 0–5, then conv2's 0–15.
    public static let allMaps: [(layer: ConvLayer, map: Int)] = allCases.flatMap { layer in (0..<layer.maps).map { (layer, $0) } }
}

/// What the deconvnet needs of one image's forward pass: both max-pool outputs and their switches.
public struct PoolActivations: Sendable {
    public let pool1: [Float]          // (6, 14, 14)
    public let pool1Switches: [Int32]
    public let pool2: [Float]          // (16, 5, 5)
    public let pool2Switches: [Int32]

    public init(pool1: [Float], pool1Switches: [Int32], pool2: [Float], pool2Switches: [Int32]) {
        self.pool1 = pool1
        self.pool1Switches = pool1Switches
        self.pool2 = pool2
        self.pool2Switches = pool2Switches
    }

    /// Image `i` of a forward pass.
    public init(_ pass: ForwardPass, image i: Int) {
        let a = LeNet5.pool1.outputCount, b = LeNet5.pool2.outputCount
        self.init(pool1: Array(pass.pool1[(i * a)..<((i + 1) * a)]), pool1Switches: Array(pass.pool1Switches[(i * a)..<((i + 1) * a)]),
                  pool2: Array(pass.pool2[(i * b)..<((i + 1) * b)]), pool2Switches: Array(pass.pool2Switches[(i * b)..<((i + 1) * b)]))
    }

    /// Image `i` of a batched pass that kept both pool layers and their switches.
    public init(_ batch: BatchActivations, image i: Int) {
        let a = LeNet5.pool1.outputCount, b = LeNet5.pool2.outputCount
        precondition(batch.pool1Switches.count == batch.count * a && batch.pool2Switches.count == batch.count * b,
                     "the batched pass must keep .pool1, .pool2 and .switches")
        self.init(pool1: Array(batch.pool1[(i * a)..<((i + 1) * a)]), pool1Switches: Array(batch.pool1Switches[(i * a)..<((i + 1) * a)]),
                  pool2: Array(batch.pool2[(i * b)..<((i + 1) * b)]), pool2Switches: Array(batch.pool2Switches[(i * b)..<((i + 1) * b)]))
    }

    public func pooled(_ layer: ConvLayer) -> [Float] { layer == .conv1 ? pool1 : pool2 }
    public func switches(_ layer: ConvLayer) -> [Int32] { layer == .conv1 ? pool1Switches : pool2Switches }

    /// What `Network.backward` reads of LeNet-5's forward pass, for this one image: the pooled
    /// outputs and their switches, and each ReLU's output where a signal coming down can be
    /// nonzero, at the switches, which is the pooled maximum unpooled.
    public var trace: NetworkPass {
        NetworkPass(count: 1, outputs: [1: DeconvOperations.unpool(pool1, switches: pool1Switches, pool: LeNet5.pool1), 2: pool1,
                                        4: DeconvOperations.unpool(pool2, switches: pool2Switches, pool: LeNet5.pool2), 5: pool2],
                    switches: [2: pool1Switches, 5: pool2Switches], logProbabilities: [])
    }
}

/// Which activations of the chosen map are projected down.
public enum ReconstructionMode: String, CaseIterable, Sendable {
    /// Every activation of the map, as the assignment asks.
    case wholeMap = "whole-map"
    /// Only the map's single strongest activation, as in the paper's figures.
    case strongest

    public var summary: String {
        switch self {
        case .wholeMap: "all of its activations, with their values"
        case .strongest: "only its single strongest activation"
        }
    }
}

/// A Zeiler & Fergus deconvnet attached to a network: maps a feature map's activations back to
/// pixels through every layer below it (`Network.backward`: unpool with the switches, the ReLU by
/// a `BackwardRule`, filter with the layer's flipped filters and no bias).
public struct Deconvnet: Sendable {
    public let network: Network

    public init(network: Network) {
        self.network = network
    }

    public init(model: LeNet5) {
        network = model.network
    }

    /// The network as LeNet-5, for the analyses that so far take only LeNet-5.
    public var model: LeNet5 {
        guard let model = network.lenet5 else { preconditionFailure("this deconvnet's network is not LeNet-5") }
        return model
    }

    /// The projections of maps of `layer`, each request one map in one image of `pass`: the
    /// block's output (after its ReLU and pooling) with every other map zeroed, and in
    /// `.strongest` mode every unit but the map's first largest, goes down to the input. `pass`
    /// must have kept `network.tracedLayers(below: layer.outputLayer)` and the switches (a
    /// `Network.trace`). Each result is (1, H, W) in the network's input units.
    public func reconstruct(_ layer: ConvolutionalLayer, _ requests: [(map: Int, image: Int)], of pass: NetworkPass,
                            mode: ReconstructionMode = .wholeMap, rule: BackwardRule = .deconvnet, threads: Int = 1) -> [[Float]] {
        let seeds = requests.flatMap { Self.seed(layer, map: $0.map, of: pass.output(layer.outputLayer, image: $0.image), mode: mode) }
        let all = network.backward(seeds, from: layer.outputLayer, through: pass, sources: requests.map(\.image), rule: rule, threads: threads)
        let size = network.inputCount
        return requests.indices.map { Array(all[$0 * size..<($0 + 1) * size]) }
    }

    /// One map's projection in one image of `pass`.
    public func reconstruct(_ layer: ConvolutionalLayer, map: Int, image: Int = 0, of pass: NetworkPass,
                            mode: ReconstructionMode = .wholeMap, rule: BackwardRule = .deconvnet) -> [Float] {
        reconstruct(layer, [(map, image)], of: pass, mode: mode, rule: rule)[0]
    }

    /// Every map of `layer` in one image of `pass`.
    public func reconstructAll(_ layer: ConvolutionalLayer, image: Int = 0, of pass: NetworkPass, mode: ReconstructionMode = .wholeMap,
                               rule: BackwardRule = .deconvnet, threads: Int = 1) -> [[Float]] {
        reconstruct(layer, (0..<layer.maps).map { ($0, image) }, of: pass, mode: mode, rule: rule, threads: threads)
    }

    /// `output` (C, h, w), one image's block output of `layer`, with every map but `map` set to
    /// zero; in `.strongest` mode only the first largest value of `map` survives.
    public static func seed(_ layer: ConvolutionalLayer, map: Int, of output: ArraySlice<Float>, mode: ReconstructionMode) -> [Float] {
        precondition((0..<layer.maps).contains(map), "\(layer.name) has maps 0..<\(layer.maps)")
        precondition(output.count == layer.outputCount, "\(layer.name)'s output has \(layer.outputCount) values")
        let plane = layer.mapPlane, first = output.startIndex
        var kept = [Float](repeating: 0, count: output.count)
        let range = (map * plane)..<((map + 1) * plane)
        switch mode {
        case .wholeMap:
            for i in range { kept[i] = output[first + i] }
        case .strongest:
            let strongest = range.max { output[first + $0] < output[first + $1] }!
            kept[strongest] = output[first + strongest]
        }
        return kept
    }
}

/// LeNet-5's two layers by name, over the general deconvnet.
extension Deconvnet {
    /// Reconstructs map `map` of `layer` in input pixel space, a 1 × 28 × 28 image: the layer's
    /// max-pool output with every other map zeroed goes down through the layer's deconvnet layer
    /// (unpool with the switches, the ReLU by `rule`, filter with the flipped filters and no bias)
    /// and, for conv2, on through conv1's, with nothing zeroed there.
    public func reconstruct(_ layer: ConvLayer, map: Int, of activations: PoolActivations, mode: ReconstructionMode = .wholeMap,
                            rule: BackwardRule = .deconvnet) -> [Float] {
        let seed = Self.keep(map: map, of: activations.pooled(layer), pool: layer.pool, mode: mode)
        return network.backward(seed, from: layer.block.outputLayer, through: activations.trace, sources: [0], rule: rule)
    }

    /// The reconstructions of map `map` of `layer` under every rule.
    public func reconstructions(_ layer: ConvLayer, map: Int, of activations: PoolActivations,
                                mode: ReconstructionMode = .wholeMap) -> [BackwardRule: [Float]] {
        Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { ($0, reconstruct(layer, map: map, of: activations, mode: mode, rule: $0)) })
    }

    /// `pooled` (C, h, w) with every map but `map` set to zero; in `.strongest` mode only the first
    /// largest value of `map` survives.
    static func keep(map: Int, of pooled: [Float], pool: MaxPool2D, mode: ReconstructionMode) -> [Float] {
        let layer: ConvLayer = pool == LeNet5.pool1 ? .conv1 : .conv2
        return seed(layer.block, map: map, of: pooled[...], mode: mode)
    }
}

extension LeNet5 {
    /// conv1's and conv2's blocks in `LeNet5.network`.
    static let blocks = LeNet5(seed: 0).network.convolutionalLayers
}
