import Testing
@testable import Analyses
import Deconvnet
import Network

@Suite struct TopActivationsTests {
    /// Higher scores first; of equal scores the lower index first.
    @Test func rankingAndTieRule() {
        let scores: [Float] = [1, 3, 3, 2, 3, 0]
        func top(_ k: Int) -> [Int] { MapScores.top(k, count: scores.count) { scores[$0] } }
        #expect(top(2) == [1, 2])
        #expect(top(4) == [1, 2, 4, 3])
        #expect(top(9) == [1, 2, 4, 3, 0, 5])
        #expect(top(0) == [])

        // Against a full sort, on many scores with many ties.
        var random = SplitMix64(seed: 3)
        let many = (0..<2000).map { _ in Float(random.next() % 50) / 7 }
        let sorted = many.indices.sorted { (-many[$0], $0) < (-many[$1], $1) }
        for k in [1, 9, 60] {
            #expect(MapScores.top(k, count: many.count) { many[$0] } == Array(sorted.prefix(k)), "k = \(k)")
        }
    }

    /// Scores and projections of the batched analysis against one image at a time through
    /// `Network.trace` and the deconvnet; copies of an image tie and keep index order.
    func batchedAgreesWithOneImageAtATime(_ network: Network, k: Int = 9) {
        var images = blobImages(30, seed: 42)
        images.replaceSubrange((17 * 784)..<(18 * 784), with: image(4, of: images))   // 17 copies 4
        let top = TopActivations(network: network, testImages: images, count: k)
        let deconvnet = Deconvnet(network: network)
        let passes = (0..<30).map { tracePass(network, image($0, of: images)) }
        #expect(top.layers.count == network.convolutionalLayers.count)
        for layer in network.convolutionalLayers {
            #expect(top.maps(layer).count == layer.maps)
            for (map, best) in top.maps(layer).enumerated() {
                let plane = layer.mapPlane
                let scores = passes.map { blockOutput($0, layer)[(map * plane)..<((map + 1) * plane)].max()! }
                let expected = MapScores.top(k, count: 30) { scores[$0] }
                #expect(best.map(\.testIndex) == expected, "\(layer.name) map \(map)")
                #expect(best.map(\.score) == expected.map { scores[$0] }, "\(layer.name) map \(map) scores")
                if let four = expected.firstIndex(of: 4), let copy = expected.firstIndex(of: 17) { #expect(four < copy) }
                for entry in best {
                    #expect(entry.layer == layer && entry.map == map)
                    let reconstruction = deconvnet.reconstruct(layer, map: map, of: passes[entry.testIndex], mode: .strongest)
                    #expect(entry.reconstruction == reconstruction, "\(layer.name) map \(map) image \(entry.testIndex)")
                    let unit = entry.unitY * layer.outputShape[2] + entry.unitX
                    #expect(blockOutput(passes[entry.testIndex], layer)[map * plane + unit] == entry.score)
                    #expect(entry.receptiveField == ReceptiveField(network: network, layer: layer, y: entry.unitY, x: entry.unitX))
                }
            }
        }
    }

    @Test func batchedAgreesWithOneImageAtATimeInLeNet5() {
        batchedAgreesWithOneImageAtATime(LeNet5(seed: 42).network)
    }

    /// Three convolutional layers, one of stride 2 without pooling, one average-pooled.
    @Test func batchedAgreesWithOneImageAtATimeInAnyNetwork() {
        batchedAgreesWithOneImageAtATime(otherNetwork(seed: 42), k: 4)
        let findings = TopActivations(network: otherNetwork(seed: 42), testImages: blobImages(12, seed: 43), count: 3)
            .findings(labels: (0..<12).map { UInt8($0 % 10) })
        #expect(findings.layers.map(\.maps) == [4, 6, 8] && findings.layers.map(\.entries) == [12, 18, 24])
    }

    @Test func exportHasTheIssuesKeysAndShapes() throws {
        let top = TopActivations(network: LeNet5(seed: 43).network, testImages: blobImages(12, seed: 43))
        let file = try Safetensors.decode(top.safetensors(metadata: ["model_sha256": "x"]).encoded(), path: "top9")
        #expect(file.metadata == ["model_sha256": "x", "split": "test", "score": "max of pooled map", "mode": "strongest"])
        var expected = [String]()
        for (layer, maps) in [("conv1", 6), ("conv2", 16)] {
            for c in 0..<maps {
                let key = "\(layer).\(c)"
                expected += ["\(key).indices", "\(key).scores", "\(key).reconstructions", "\(key).ranking"]
                #expect(file["\(key).ranking"]?.shape == [12], "all 12 images ranked, fewer than \(TopActivations.rankedCount)")
                #expect(file["\(key).indices"]?.dtype == .i64 && file["\(key).indices"]?.shape == [9])
                #expect(file["\(key).scores"]?.dtype == .f32 && file["\(key).scores"]?.shape == [9])
                #expect(file["\(key).reconstructions"]?.shape == [9, 28, 28])
                let entries = top.maps(layer == "conv1" ? conv1 : conv2)[c]
                #expect(file["\(key).indices"]?.integers == entries.map { Int64($0.testIndex) })
                #expect(file["\(key).reconstructions"]?.values == entries.flatMap(\.reconstruction))
                #expect(file["\(key).ranking"]?.integers?.starts(with: entries.map { Int64($0.testIndex) }) == true)
            }
        }
        #expect(Set(file.names) == Set(expected) && file.names.count == expected.count)
    }
}
