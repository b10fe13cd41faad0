import Testing
@testable import Analyses
import Deconvnet
import Network

@Suite struct FeatureEvolutionTests {
    /// 60,000 images in batches of 64 make 938 steps an epoch.
    @Test func defaultCheckpointSteps() {
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 938, epochs: 10) == [117, 234, 469, 938, 1876, 4690, 9380])
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 938, epochs: 3) == [117, 234, 469, 938, 1876, 2814])
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 938, epochs: 1) == [117, 234, 469, 938])
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 938, epochs: 12) == [117, 234, 469, 938, 1876, 4690, 9380, 11256])
        // 10 steps an epoch: 1/8 rounds down to 1; 3 steps: 1/8 and 1/4 round to 0, so step 1, once.
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 10, epochs: 7) == [1, 2, 5, 10, 20, 50, 70])
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 3, epochs: 1) == [1, 3])
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 1, epochs: 2) == [1, 2])
        #expect(FeatureEvolution.checkpointSteps(stepsPerEpoch: 8, epochs: 0) == [])
    }

    /// Each snapshot is its model's top-1 per map; the export has one (1, 28, 28) image per step
    /// and map, and the test index of each in the metadata.
    @Test func snapshotsAndExport() throws {
        let images = blobImages(25, seed: 44)
        let checkpoints = [(step: 3, model: LeNet5(seed: 44).network), (step: 10, model: LeNet5(seed: 45).network)]
        let evolution = FeatureEvolution(checkpoints: checkpoints, testImages: images)
        #expect(evolution.snapshots.map(\.step) == [3, 10])
        for (snapshot, checkpoint) in zip(evolution.snapshots, checkpoints) {
            let top = TopActivations(network: checkpoint.model, testImages: images, count: 1)
            for layer in lenetLayers {
                #expect(snapshot.maps(layer).map(\.testIndex) == top.maps(layer).map { $0[0].testIndex })
                #expect(snapshot.maps(layer).map(\.reconstruction) == top.maps(layer).map { $0[0].reconstruction })
            }
        }
        // The final model's top-9, reused, gives the same snapshot.
        let reused = FeatureEvolution(checkpoints: checkpoints, testImages: images,
                                      reusing: TopActivations(network: checkpoints[1].model, testImages: images))
        for (a, b) in zip(reused.snapshots, evolution.snapshots) {
            for layer in lenetLayers {
                #expect(a.maps(layer).map(\.testIndex) == b.maps(layer).map(\.testIndex))
                #expect(a.maps(layer).map(\.reconstruction) == b.maps(layer).map(\.reconstruction))
            }
        }

        // The final favourites' scores: at the last checkpoint its own favourites' scores; at the
        // first, what that model gives those images, never more than its own strongest.
        let last = evolution.snapshots[1]
        #expect(last.finalImageScores == last.layers.map { $0.map(\.score) })
        let first = evolution.snapshots[0]
        for layer in lenetLayers {
            let theirs = ProjectedActivation.project(last.maps(layer).map { (layer, $0.map, $0.testIndex) }, network: checkpoints[0].model,
                                                     images: images)
            #expect(first.finalImageScores[layer.number - 1] == theirs.map(\.score))
            #expect(zip(first.finalImageScores[layer.number - 1], first.maps(layer)).allSatisfy { $0 <= $1.score })
        }

        let file = try Safetensors.decode(evolution.safetensors().encoded(), path: "evolution")
        #expect(file.names.count == 2 * 22 + 2 * 2)
        #expect(file.metadata["steps"] == "3,10" && file.metadata["split"] == "test")
        for step in [3, 10] {
            for (layer, maps) in [("conv1", 6), ("conv2", 16)] {
                for c in 0..<maps {
                    let key = "step\(step).\(layer).\(c)"
                    #expect(file[key]?.shape == [1, 28, 28], "\(key)")
                    let snapshot = evolution.snapshots.first { $0.step == step }!.maps(layer == "conv1" ? conv1 : conv2)[c]
                    #expect(file.metadata["\(key).test_index"] == "\(snapshot.testIndex)")
                    #expect(file.metadata["\(key).final_image_score"] != nil, "\(key)")
                }
                let cosines = try #require(file["step\(step).\(layer).filter_cosine"], "step\(step).\(layer).filter_cosine")
                #expect(cosines.shape == [maps])
                #expect(cosines.values == evolution.snapshots.first { $0.step == step }!.filterCosines[layer == "conv1" ? 0 : 1])
            }
        }
    }

    /// A checkpoint that is the final model has cosine 1 for every filter; a filter scaled by 2 has
    /// cosine 1 and one negated −1; otherwise the cosine of the flattened weights, bias left out.
    @Test func filterCosines() {
        let final = LeNet5(seed: 46).network
        var other = final
        let start = final.parameterOffsets[conv1.layer], size = 25
        for i in 0..<size { other.parameters[start + i] *= 2 }
        for i in size..<(2 * size) { other.parameters[start + i] = -other.parameters[start + i] }
        let bias = start + conv1.convolution.weightCount
        for c in 0..<6 { other.parameters[bias + c] += 1 }
        let evolution = FeatureEvolution(checkpoints: [(step: 1, model: other), (step: 2, model: final)], testImages: blobImages(5, seed: 46))
        #expect(evolution.snapshots[1].filterCosines.allSatisfy { $0.allSatisfy { $0 == 1 } }, "the final model against itself")
        #expect(evolution.snapshots[0].filterCosines[1].allSatisfy { $0 == 1 }, "conv2 is unchanged")
        let cosines = evolution.snapshots[0].filterCosines[0]
        #expect(cosines[0] == 1 && cosines[1] == -1 && cosines[2...].allSatisfy { $0 == 1 }, "\(cosines): the biases do not count")

        // Against a different model: the cosine of the flattened weights, computed plainly.
        let random = LeNet5(seed: 47).network
        let measured = FeatureEvolution.filterCosines(conv2, random, final)
        let (a, b) = (Array(random.weights(of: conv2.layer)), Array(final.weights(of: conv2.layer)))
        for f in 0..<16 {
            let (x, y) = (a[(f * 150)..<((f + 1) * 150)], b[(f * 150)..<((f + 1) * 150)])
            let dot = zip(x, y).map { Double($0) * Double($1) }.reduce(0, +)
            let expected = dot / (x.map { Double($0 * $0) }.reduce(0, +) * y.map { Double($0 * $0) }.reduce(0, +)).squareRoot()
            #expect(abs(Double(measured[f]) - expected) < 1e-6, "filter \(f): \(measured[f]) against \(expected)")
        }
    }
}
