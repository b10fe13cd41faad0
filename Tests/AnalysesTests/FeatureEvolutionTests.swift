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

        let file = try Safetensors.decode(evolution.safetensors().encoded(), path: "evolution")
        #expect(file.names.count == 2 * 22)
        #expect(file.metadata["steps"] == "3,10" && file.metadata["split"] == "test")
        for step in [3, 10] {
            for (layer, maps) in [("conv1", 6), ("conv2", 16)] {
                for c in 0..<maps {
                    let key = "step\(step).\(layer).\(c)"
                    #expect(file[key]?.shape == [1, 28, 28], "\(key)")
                    let snapshot = evolution.snapshots.first { $0.step == step }!.maps(layer == "conv1" ? conv1 : conv2)[c]
                    #expect(file.metadata["\(key).test_index"] == "\(snapshot.testIndex)")
                }
            }
        }
    }
}
