import Deconvnet
import Network

/// Zeiler & Fergus's Fig. 4: how each map's favourite test image and its projection change over
/// training, from models saved at a few optimizer steps.
public struct FeatureEvolution: Sendable {
    /// One checkpoint: for every map, the test image with the map's strongest activation (of equal
    /// ones the lower index) and that activation's projection.
    public struct Snapshot: Sendable {
        public let step: Int
        public let conv1: [ProjectedActivation]
        public let conv2: [ProjectedActivation]

        public func maps(_ layer: ConvLayer) -> [ProjectedActivation] { layer == .conv1 ? conv1 : conv2 }
    }

    public let snapshots: [Snapshot]

    /// `checkpoints` in training order; `testImages` as for `TopActivations`. A checkpoint of the
    /// model that `top` ranked (the last one is the final model) takes its images from `top`
    /// instead of scoring the test set again.
    public init(checkpoints: [(step: Int, model: LeNet5)], testImages: [Float], reusing top: TopActivations? = nil, threads: Int = 2) {
        precondition(Set(checkpoints.map(\.step)).count == checkpoints.count, "each step may appear once")
        precondition(testImages.count >= LeNet5.inputCount, "no test images")
        snapshots = checkpoints.map { checkpoint in
            let reusable = top.map { $0.model == checkpoint.model && $0.conv1.allSatisfy { !$0.isEmpty } } ?? false
            let best = reusable ? top! : TopActivations(model: checkpoint.model, testImages: testImages, count: 1, threads: threads)
            return Snapshot(step: checkpoint.step, conv1: best.conv1.map { $0[0] }, conv2: best.conv2.map { $0[0] })
        }
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

    /// `evolution.safetensors`: `step{n}.conv1.{c}` and `step{n}.conv2.{c}` (1, 28, 28), with
    /// `step{n}.conv1.{c}.test_index` (and `.score`) in the metadata.
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["split"] = "test"
        file.metadata["score"] = "max of pooled map"
        file.metadata["mode"] = ReconstructionMode.strongest.rawValue
        file.metadata["steps"] = snapshots.map { "\($0.step)" }.joined(separator: ",")
        let side = LeNet5.imageSide
        for snapshot in snapshots {
            for layer in ConvLayer.allCases {
                for (map, best) in snapshot.maps(layer).enumerated() {
                    let key = "step\(snapshot.step).\(layer.rawValue).\(map)"
                    file[key] = .init(shape: [1, side, side], values: best.reconstruction)
                    file.metadata["\(key).test_index"] = "\(best.testIndex)"
                    file.metadata["\(key).score"] = "\(best.score)"
                }
            }
        }
        return file
    }
}
