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
        /// Per layer and map: this checkpoint's score of the final model's favourite image, to
        /// tell a changed favourite from a near-tie.
        public let finalImageScores: [[Float]]
        /// Per layer and filter: the cosine similarity of the filter's weights to the same filter
        /// in the final model (`filterCosines`).
        public let filterCosines: [[Float]]

        public func maps(_ layer: ConvolutionalLayer) -> [ProjectedActivation] { layers[layer.number - 1] }
    }

    public let snapshots: [Snapshot]
    /// The images' size, from the checkpoints' networks.
    public let imageHeight: Int, imageWidth: Int

    /// `checkpoints` in training order, the last the final model that the others are compared
    /// with; `testImages` as for `TopActivations`. A checkpoint of the model that `top` ranked
    /// takes its images from `top` instead of scoring the test set again.
    public init(checkpoints: [(step: Int, model: Network)], testImages: [Float], reusing top: TopActivations? = nil, threads: Int = 2) {
        precondition(Set(checkpoints.map(\.step)).count == checkpoints.count, "each step may appear once")
        precondition(checkpoints.allSatisfy { testImages.count >= $0.model.inputCount }, "no test images")
        precondition(!checkpoints.isEmpty, "no checkpoints")
        let best = checkpoints.map { checkpoint in
            let reusable = top.map { $0.network == checkpoint.model && $0.layers.allSatisfy { $0.allSatisfy { !$0.isEmpty } } } ?? false
            let best = reusable ? top! : TopActivations(network: checkpoint.model, testImages: testImages, count: 1, threads: threads)
            return best.layers.map { $0.map { $0[0] } }
        }
        self.init(checkpoints: checkpoints, best: best, testImages: testImages, threads: threads)
    }

    /// The snapshots of `checkpoints` whose favourites are `best` (per checkpoint, layer and map);
    /// the last checkpoint is the final model the others are compared with.
    init(checkpoints: [(step: Int, model: Network)], best: [[[ProjectedActivation]]], testImages: [Float], threads: Int) {
        let final = checkpoints.last!.model, finalBest = best.last!
        (imageHeight, imageWidth) = (final.imageHeight, final.imageWidth)
        // Only the final favourites are scored at every checkpoint: a few images, not the test set.
        let favourites = Array(Set(finalBest.joined().map(\.testIndex))).sorted()
        let row = Dictionary(uniqueKeysWithValues: favourites.enumerated().map { ($1, $0) })
        let size = final.inputCount
        let images = favourites.flatMap { testImages[($0 * size)..<(($0 + 1) * size)] }
        snapshots = zip(checkpoints, best).map { checkpoint, layers in
            let scores = MapScores(network: checkpoint.model, images: images, threads: threads)
            return Snapshot(step: checkpoint.step, layers: layers,
                            finalImageScores: finalBest.map { $0.map { scores.score(image: row[$0.testIndex]!, $0.layer, map: $0.map) } },
                            filterCosines: checkpoint.model.convolutionalLayers.map { Self.filterCosines($0, checkpoint.model, final) })
        }
    }

    /// Per filter of `layer`, the cosine similarity of `model`'s weights to `final`'s, each filter
    /// flattened (input channels × kernel rows × kernel columns). The bias is left out: it shifts
    /// the response rather than choosing what the filter matches, and the deconvnet filters
    /// without it. A filter of zero weights has no direction: its cosine is taken as 0.
    static func filterCosines(_ layer: ConvolutionalLayer, _ model: Network, _ final: Network) -> [Float] {
        let (a, b) = (model.weights(of: layer.layer), final.weights(of: layer.layer))
        let size = a.count / layer.maps
        return (0..<layer.maps).map { filter in
            var (ab, aa, bb) = (0.0, 0.0, 0.0)
            for i in (filter * size)..<((filter + 1) * size) {
                let (x, y) = (Double(a[a.startIndex + i]), Double(b[b.startIndex + i]))
                (ab, aa, bb) = (ab + x * y, aa + x * x, bb + y * y)
            }
            return aa > 0 && bb > 0 ? Float(ab / (aa.squareRoot() * bb.squareRoot())) : 0
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

    /// `evolution.safetensors`: `step{n}.conv{l}.{c}` (1, H, W) for every map of every layer, with
    /// `step{n}.conv{l}.{c}.test_index`, `.score` and `.final_image_score` in the metadata, and
    /// `step{n}.conv{l}.filter_cosine` (maps) for every layer.
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["split"] = "test"
        file.metadata["score"] = "max of pooled map"
        file.metadata["mode"] = ReconstructionMode.strongest.rawValue
        file.metadata["steps"] = snapshots.map { "\($0.step)" }.joined(separator: ",")
        file.metadata["filter_cosine"] = "each filter's weights (bias left out) against the final model's, as cosine similarity"
        for snapshot in snapshots {
            for (l, layer) in snapshot.layers.enumerated() {
                for (map, best) in layer.enumerated() {
                    let key = "step\(snapshot.step).\(best.layer.name).\(map)"
                    file[key] = .init(shape: [1, imageHeight, imageWidth], values: best.reconstruction)
                    file.metadata["\(key).test_index"] = "\(best.testIndex)"
                    file.metadata["\(key).score"] = "\(best.score)"
                    file.metadata["\(key).final_image_score"] = "\(snapshot.finalImageScores[l][map])"
                }
                file["step\(snapshot.step).\(layer[0].layer.name).filter_cosine"] = .init(shape: [layer.count], values: snapshot.filterCosines[l])
            }
        }
        return file
    }
}
