import Deconvnet
import Network

extension FeatureEvolution {
    /// The evolution read back from its `evolution.safetensors`: each checkpoint's choice of test
    /// image per map comes from the file; the projections, the final favourites' scores and the
    /// filters' cosines are computed again with the checkpoints' models. nil when the file is of other checkpoints, or a score is not what the checkpoint
    /// gives its image.
    public init?(file: Safetensors, checkpoints: [(step: Int, model: Network)], testImages: [Float], threads: Int = 2) {
        guard !checkpoints.isEmpty, file.metadata["steps"] == checkpoints.map({ "\($0.step)" }).joined(separator: ",") else { return nil }
        var best: [[[ProjectedActivation]]] = []
        for (step, model) in checkpoints {
            let count = testImages.count / model.inputCount
            var requests: [(layer: ConvolutionalLayer, map: Int, image: Int)] = [], scores: [Float] = []
            for (layer, map) in model.allMaps {
                let key = "step\(step).\(layer.name).\(map)"
                guard let index = file.metadata["\(key).test_index"].flatMap(Int.init), (0..<count).contains(index),
                      let score = file.metadata["\(key).score"].flatMap(Float.init) else { return nil }
                requests.append((layer, map, index))
                scores.append(score)
            }
            let projected = ProjectedActivation.project(requests, network: model, images: testImages, threads: threads)
            guard projected.map(\.score) == scores else { return nil }
            best.append(model.convolutionalLayers.map { layer in projected.filter { $0.layer == layer } })
        }
        self.init(checkpoints: checkpoints, best: best, testImages: testImages, threads: threads)
    }
}
