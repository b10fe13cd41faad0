import Network

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

    /// The projections of maps of `layer`, each request one map in one image of `pass`: the
    /// block's output (after its ReLU and pooling) with every other map zeroed, and in
    /// `.strongest` mode every unit but the map's first largest, goes down to the input. `pass`
    /// must have kept `network.tracedLayers(below: layer.outputLayer)` and the switches (a
    /// `Network.trace`). Each result is (1, H, W) in the network's input units.
    public func reconstruct(_ layer: ConvolutionalLayer, _ requests: [(map: Int, image: Int)], of pass: NetworkPass,
                            mode: ReconstructionMode = .wholeMap, rule: BackwardRule = .deconvnet, threads: Int = 1) -> [[Float]] {
        let seeds = requests.flatMap { Self.seed(layer, map: $0.map, of: pass.output(layer.outputLayer, image: $0.image), mode: mode) }
        let all = network.backward(seeds, from: layer.outputLayer, through: pass, sources: requests.map(\.image),
                                   rule: rule, threads: threads)
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

extension Network {
    /// Every map of every convolutional layer: layer by layer (by depth), map by map, the order
    /// of every export.
    public var allMaps: [(layer: ConvolutionalLayer, map: Int)] {
        convolutionalLayers.flatMap { layer in (0..<layer.maps).map { (layer, $0) } }
    }
}
