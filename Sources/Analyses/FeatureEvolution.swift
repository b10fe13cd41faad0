import Deconvnet
import Network

/// Zeiler & Fergus's Fig. 4: how each map's favourite test image and its projection change over
/// training, from models saved at a few optimizer steps.
public struct FeatureEvolution: Sendable {
    /// One checkpoint: for every map, the test image with the map's strongest activation (of equal
    /// ones the lower index) and that activation's projection.
    public struct Snapshot: Sendable {
        public let step: Int
        /// Per convolutional layer (by depth), one per map.
        public let layers: [[ProjectedActivation]]

        public func maps(_ layer: ConvolutionalLayer) -> [ProjectedActivation] { layers[layer.number - 1] }
    }

    public let snapshots: [Snapshot]
    /// The images' size, from the checkpoints' networks.
    public let imageHeight: Int, imageWidth: Int

    /// `checkpoints` in training order; `testImages` as for `TopActivations`. A checkpoint of the
    /// model that `top` ranked (the last one is the final model) takes its images from `top`
    /// instead of scoring the test set again.
    public init(checkpoints: [(step: Int, model: Network)], testImages: [Float], reusing top: TopActivations? = nil, threads: Int = 2) {
        precondition(Set(checkpoints.map(\.step)).count == checkpoints.count, "each step may appear once")
        precondition(checkpoints.allSatisfy { testImages.count >= $0.model.inputCount }, "no test images")
        precondition(!checkpoints.isEmpty, "no checkpoints")
        (imageHeight, imageWidth) = (checkpoints[0].model.imageHeight, checkpoints[0].model.imageWidth)
        snapshots = checkpoints.map { checkpoint in
            let reusable = top.map { $0.network == checkpoint.model && $0.layers.allSatisfy { $0.allSatisfy { !$0.isEmpty } } } ?? false
            let best = reusable ? top! : TopActivations(network: checkpoint.model, testImages: testImages, count: 1, threads: threads)
            return Snapshot(step: checkpoint.step, layers: best.layers.map { $0.map { $0[0] } })
        }
    }

    init(snapshots: [Snapshot], imageHeight: Int, imageWidth: Int) {
        self.snapshots = snapshots
        (self.imageHeight, self.imageWidth) = (imageHeight, imageWidth)
    }

    /// The optimizer steps after which the default run saves a checkpoint: after 1/8, 1/4 and 1/2
    /// of the first epoch (rounded down, at least step 1), after epochs 1, 2, 5 and 10 when the
    /// run has them, and after the last step; sorted, each once.
    public static func checkpointSteps(stepsPerEpoch perEpoch: Int, epochs: Int) -> [Int] {
        precondition(perEpoch >= 0 && epochs >= 0)
        guard perEpoch > 0, epochs > 0 else { return [] }
        let fractions = [8, 4, 2].map { max(perEpoch / $0, 1) }
        let epochEnds = [1, 2, 5, 10].filter { $0 <= epochs }.map { $0 * perEpoch }
        return Array(Set(fractions + epochEnds + [epochs * perEpoch])).sorted()
    }

    /// `evolution.safetensors`: `step{n}.conv{l}.{c}` (1, H, W) for every map of every layer, with
    /// `step{n}.conv{l}.{c}.test_index` (and `.score`) in the metadata.
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["split"] = "test"
        file.metadata["score"] = "max of pooled map"
        file.metadata["mode"] = ReconstructionMode.strongest.rawValue
        file.metadata["steps"] = snapshots.map { "\($0.step)" }.joined(separator: ",")
        for snapshot in snapshots {
            for layer in snapshot.layers {
                for (map, best) in layer.enumerated() {
                    let key = "step\(snapshot.step).\(best.layer.name).\(map)"
                    file[key] = .init(shape: [1, imageHeight, imageWidth], values: best.reconstruction)
                    file.metadata["\(key).test_index"] = "\(best.testIndex)"
                    file.metadata["\(key).score"] = "\(best.score)"
                }
            }
        }
        return file
    }
}
