import Network

/// The two convolutional layers a deconvnet layer is attached to.
public enum ConvLayer: String, CaseIterable, Sendable {
    case conv1, conv2

    public var conv: Conv2D { self == .conv1 ? LeNet5.conv1 : LeNet5.conv2 }
    public var pool: MaxPool2D { self == .conv1 ? LeNet5.pool1 : LeNet5.pool2 }
    public var weights: LeNet5.Parameter { self == .conv1 ? .conv1Weight : .conv2Weight }
    public var bias: LeNet5.Parameter { self == .conv1 ? .conv1Bias : .conv2Bias }
    public var maps: Int { conv.outChannels }

    /// All 22 maps in the order of the exports: conv1's 0–5, then conv2's 0–15.
    public static let allMaps: [(layer: ConvLayer, map: Int)] = allCases.flatMap { layer in (0..<layer.maps).map { (layer, $0) } }
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
}

/// A deconvnet attached to a trained LeNet-5: maps one feature map's activations back to pixels.
public struct Deconvnet: Sendable {
    public let model: LeNet5

    public init(model: LeNet5) {
        self.model = model
    }

    /// Reconstructs map `map` of `layer` in input pixel space, a 1 × 28 × 28 image: the layer's
    /// max-pool output with every other map zeroed goes down through the layer's deconvnet layer
    /// and, for conv2, on through conv1's, with nothing zeroed there. `rule` says how each ReLU is
    /// passed; the filters are this deconvnet's model's, the switches and masks `activations`'.
    public func reconstruct(_ layer: ConvLayer, map: Int, of activations: PoolActivations, mode: ReconstructionMode = .wholeMap,
                            rule: BackwardRule = .deconvnet) -> [Float] {
        precondition((0..<layer.maps).contains(map), "\(layer) has maps 0..<\(layer.maps)")
        var signal = Self.keep(map: map, of: activations.pooled(layer), pool: layer.pool, mode: mode)
        signal = project(signal, through: layer, activations, rule: rule)
        if layer == .conv2 { signal = project(signal, through: .conv1, activations, rule: rule) }
        return signal
    }

    /// The reconstructions of map `map` of `layer` under every rule, each the same floats as
    /// `reconstruct` gives. Rules that pass the same signal share one filtering: at the seeded
    /// layer all three do, as its seed is non-negative and lies where the ReLU was open.
    public func reconstructions(_ layer: ConvLayer, map: Int, of activations: PoolActivations,
                                mode: ReconstructionMode = .wholeMap) -> [BackwardRule: [Float]] {
        precondition((0..<layer.maps).contains(map), "\(layer) has maps 0..<\(layer.maps)")
        let seed = Self.keep(map: map, of: activations.pooled(layer), pool: layer.pool, mode: mode)
        var signals = Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { ($0, seed) })
        for stage in layer == .conv2 ? [ConvLayer.conv2, .conv1] : [.conv1] {
            var filtered: [(passed: [Float], output: [Float])] = []
            for rule in BackwardRule.allCases {
                let passed = pass(signals[rule]!, through: stage, activations, rule: rule)
                if let done = filtered.first(where: { $0.passed.elementsEqual(passed) { $0.bitPattern == $1.bitPattern } }) {
                    signals[rule] = done.output
                } else {
                    signals[rule] = filter(passed, through: stage)
                    filtered.append((passed, signals[rule]!))
                }
            }
        }
        return signals
    }

    /// unpool with the layer's switches → ReLU by `rule` → filter with the layer's flipped filters.
    func project(_ signal: [Float], through layer: ConvLayer, _ activations: PoolActivations, rule: BackwardRule = .deconvnet) -> [Float] {
        filter(pass(signal, through: layer, activations, rule: rule), through: layer)
    }

    /// unpool with the layer's switches → ReLU by `rule`.
    func pass(_ signal: [Float], through layer: ConvLayer, _ activations: PoolActivations, rule: BackwardRule) -> [Float] {
        let switches = activations.switches(layer)
        let unpooled = DeconvOperations.unpool(signal, switches: switches, pool: layer.pool)
        // The forward ReLU's output at the switches is the pooled maximum itself; the deconvnet
        // rule does not look at it.
        let forward = rule == .deconvnet ? unpooled : DeconvOperations.unpool(activations.pooled(layer), switches: switches, pool: layer.pool)
        return rule.pass(unpooled, forward: forward)
    }

    /// The transposed convolution with the layer's own filters, flipped.
    func filter(_ signal: [Float], through layer: ConvLayer) -> [Float] {
        DeconvOperations.filter(signal, conv: layer.conv, weights: Array(model[layer.weights]))
    }

    /// `pooled` (C, h, w) with every map but `map` set to zero; in `.strongest` mode only the first
    /// largest value of `map` survives.
    static func keep(map: Int, of pooled: [Float], pool: MaxPool2D, mode: ReconstructionMode) -> [Float] {
        let plane = pool.outputHeight * pool.outputWidth
        var kept = [Float](repeating: 0, count: pooled.count)
        let range = (map * plane)..<((map + 1) * plane)
        switch mode {
        case .wholeMap:
            kept.replaceSubrange(range, with: pooled[range])
        case .strongest:
            let strongest = range.max { pooled[$0] < pooled[$1] }!
            kept[strongest] = pooled[strongest]
        }
        return kept
    }
}
