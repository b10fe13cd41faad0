import Deconvnet
import Network

/// Zeiler & Fergus's Fig. 2: for every map of every convolutional layer, the test images that
/// excite it most (scored by the map's largest block-output activation; of equal scores the lower
/// test index first), each with its strongest activation projected to pixel space.
public struct TopActivations: Sendable {
    public static let defaultCount = 9
    /// How many best images per map are ranked (without projections) for the wider selectivity count.
    public static let rankedCount = 100

    /// The network the images were ranked for.
    let network: Network
    /// Per convolutional layer (by depth), each map's best images, best first.
    public let layers: [[[ProjectedActivation]]]
    /// Per layer and map, the test indices of its `rankedCount` best images, best first (those of
    /// `layers` first).
    public let rankings: [[[Int]]]

    /// `testImages` are the test set's images, `network.inputCount` floats each (pixel / 255), in
    /// test-index order.
    public init(network: Network, testImages: [Float], count k: Int = defaultCount, threads: Int = 2) {
        self.init(network: network, testImages: testImages, scores: MapScores(network: network, images: testImages, threads: threads),
                  count: k, threads: threads)
    }

    init(network: Network, testImages: [Float], scores: MapScores, count k: Int, threads: Int) {
        let ranked = network.allMaps.map { layer, map in scores.top(max(k, Self.rankedCount), layer, map: map) }
        let requests = zip(network.allMaps, ranked).flatMap { m, best in best.prefix(k).map { (layer: m.layer, map: m.map, image: $0) } }
        self.init(network: network, projected: ProjectedActivation.project(requests, network: network, images: testImages, threads: threads),
                  rankings: ranked)
    }

    /// `projected` in the order of the requests, map by map, each map's best first; `rankings` in
    /// `Network.allMaps` order.
    init(network: Network, projected: [ProjectedActivation], rankings: [[Int]]) {
        self.network = network
        var layers = network.convolutionalLayers.map { [[ProjectedActivation]](repeating: [], count: $0.maps) }
        // Appending in order keeps each map's ranking.
        for p in projected { layers[p.layer.number - 1][p.map].append(p) }
        self.layers = layers
        var ranked = rankings[...]
        self.rankings = network.convolutionalLayers.map { layer in (0..<layer.maps).map { _ in ranked.removeFirst() } }
    }

    public func maps(_ layer: ConvolutionalLayer) -> [[ProjectedActivation]] { layers[layer.number - 1] }

    /// `top9.safetensors`: for each map `conv{l}.{c}`, `.indices` (k, I64: test indices),
    /// `.scores` (k) and `.reconstructions` (k, H, W), best first, and `.ranking` (the
    /// `rankedCount` best test indices, best first).
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["split"] = "test"
        file.metadata["score"] = "max of pooled map"
        file.metadata["mode"] = ReconstructionMode.strongest.rawValue
        for layer in network.convolutionalLayers {
            for (map, best) in maps(layer).enumerated() {
                let key = "\(layer.name).\(map)"
                file["\(key).indices"] = .init(shape: [best.count], integers: best.map { Int64($0.testIndex) })
                file["\(key).scores"] = .init(shape: [best.count], values: best.map(\.score))
                file["\(key).reconstructions"] = .init(shape: [best.count, network.imageHeight, network.imageWidth],
                                                       values: best.flatMap(\.reconstruction))
                let ranking = rankings[layer.number - 1][map]
                file["\(key).ranking"] = .init(shape: [ranking.count], integers: ranking.map(Int64.init))
            }
        }
        return file
    }
}
