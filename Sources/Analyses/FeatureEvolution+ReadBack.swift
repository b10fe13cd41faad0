import Deconvnet
import Network

extension FeatureEvolution {
    /// The evolution read back from its `evolution.safetensors`: each checkpoint's choice of test
    /// image per map comes from the file; the projections are computed again with the checkpoints'
    /// models. nil when the file is of other checkpoints, or a score is not what the checkpoint
    /// gives its image.
    public init?(file: Safetensors, checkpoints: [(step: Int, model: LeNet5)], testImages: [Float], threads: Int = 2) {
        guard file.metadata["steps"] == checkpoints.map({ "\($0.step)" }).joined(separator: ",") else { return nil }
        let count = testImages.count / LeNet5.inputCount
        var snapshots: [Snapshot] = []
        for (step, model) in checkpoints {
            var requests: [(layer: ConvLayer, map: Int, image: Int)] = [], scores: [Float] = []
            for (layer, map) in ConvLayer.allMaps {
                let key = "step\(step).\(layer.rawValue).\(map)"
                guard let index = file.metadata["\(key).test_index"].flatMap(Int.init), (0..<count).contains(index),
                      let score = file.metadata["\(key).score"].flatMap(Float.init) else { return nil }
                requests.append((layer, map, index))
                scores.append(score)
            }
            let projected = ProjectedActivation.project(requests, model: model, images: testImages, threads: threads)
            guard projected.map(\.score) == scores else { return nil }
            snapshots.append(Snapshot(step: step, conv1: projected.filter { $0.layer == .conv1 }, conv2: projected.filter { $0.layer == .conv2 }))
        }
        self.snapshots = snapshots
    }
}
