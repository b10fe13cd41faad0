import Deconvnet
import Network

/// Zeiler & Fergus's Fig. 2: for every map of both layers, the test images that excite it most
/// (scored by the map's largest pooled activation; of equal scores the lower test index first),
/// each with its strongest activation projected to pixel space.
public struct TopActivations: Sendable {
    public static let defaultCount = 9

    /// The model the images were ranked for.
    let model: LeNet5
    /// conv1's 6 maps and conv2's 16, each with its best images, best first.
    public let conv1: [[ProjectedActivation]]
    public let conv2: [[ProjectedActivation]]

    /// `testImages` are the test set's images, 784 floats each (pixel / 255), in test-index order.
    public init(model: LeNet5, testImages: [Float], count k: Int = defaultCount, threads: Int = 2) {
        self.init(model: model, testImages: testImages, scores: MapScores(model: model, images: testImages, threads: threads), count: k,
                  threads: threads)
    }

    init(model: LeNet5, testImages: [Float], scores: MapScores, count k: Int, threads: Int) {
        let requests = ConvLayer.allCases.flatMap { layer in
            (0..<layer.maps).flatMap { map in scores.top(k, layer, map: map).map { (layer: layer, map: map, image: $0) } }
        }
        self.init(model: model, projected: ProjectedActivation.project(requests, model: model, images: testImages, threads: threads))
    }

    /// `projected` in the order of the requests, map by map, each map's best first.
    init(model: LeNet5, projected: [ProjectedActivation]) {
        self.model = model
        // Filtering keeps the order, so each map keeps its ranking.
        let maps = { (layer: ConvLayer) in (0..<layer.maps).map { map in projected.filter { $0.layer == layer && $0.map == map } } }
        conv1 = maps(.conv1)
        conv2 = maps(.conv2)
    }

    public func maps(_ layer: ConvLayer) -> [[ProjectedActivation]] { layer == .conv1 ? conv1 : conv2 }

    /// `top9.safetensors`: for each map `conv1.{c}` / `conv2.{c}`, `.indices` (k, I64: test
    /// indices), `.scores` (k) and `.reconstructions` (k, 28, 28), best first.
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["split"] = "test"
        file.metadata["score"] = "max of pooled map"
        file.metadata["mode"] = ReconstructionMode.strongest.rawValue
        let side = LeNet5.imageSide
        for layer in ConvLayer.allCases {
            for (map, best) in maps(layer).enumerated() {
                let key = "\(layer.rawValue).\(map)"
                file["\(key).indices"] = .init(shape: [best.count], integers: best.map { Int64($0.testIndex) })
                file["\(key).scores"] = .init(shape: [best.count], values: best.map(\.score))
                file["\(key).reconstructions"] = .init(shape: [best.count, side, side], values: best.flatMap(\.reconstruction))
            }
        }
        return file
    }
}
