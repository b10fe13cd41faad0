import Testing
@testable import Analyses
import Deconvnet
import Network

/// An analysis written to its file and read back is the analysis a fresh run computes, bit for
/// bit; a file of another model, other images or other settings is not taken.
@Suite struct ReadBackTests {
    let images = blobImages(40, seed: 70)
    let model = LeNet5(seed: 70).network

    func same(_ a: [[ProjectedActivation]], _ b: [[ProjectedActivation]]) -> Bool {
        func same(_ p: ProjectedActivation, _ q: ProjectedActivation) -> Bool {
            let place = p.layer == q.layer && p.map == q.map && p.testIndex == q.testIndex && p.unitY == q.unitY && p.unitX == q.unitX
            let bits: Bool = p.score.bitPattern == q.score.bitPattern && p.reconstruction.map(\.bitPattern) == q.reconstruction.map(\.bitPattern)
            return place && bits
        }
        return a.count == b.count && zip(a, b).allSatisfy { (x: [ProjectedActivation], y: [ProjectedActivation]) -> Bool in
            x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        }
    }

    @Test func topActivations() throws {
        let top = TopActivations(network: model, testImages: images, count: 5)
        let file = try Safetensors.decode(top.safetensors().encoded(), path: "top9")
        let back = try #require(TopActivations(file: file, network: model, testImages: images))
        #expect(back.layers.count == 2 && same(back.layers[0], top.layers[0]) && same(back.layers[1], top.layers[1]))
        #expect(TopActivations(file: file, network: LeNet5(seed: 71).network, testImages: images) == nil, "another model's scores differ")
        #expect(TopActivations(file: file, network: model, testImages: blobImages(40, seed: 72)) == nil, "other images' scores differ")
    }

    @Test func featureEvolution() throws {
        let checkpoints = [(step: 3, model: LeNet5(seed: 73).network), (step: 9, model: model)]
        let evolution = FeatureEvolution(checkpoints: checkpoints, testImages: images)
        let file = try Safetensors.decode(evolution.safetensors().encoded(), path: "evolution")
        let back = try #require(FeatureEvolution(file: file, checkpoints: checkpoints, testImages: images))
        #expect(back.snapshots.map(\.step) == [3, 9])
        #expect(same(back.snapshots.map { $0.layers[0] }, evolution.snapshots.map { $0.layers[0] })
                && same(back.snapshots.map { $0.layers[1] }, evolution.snapshots.map { $0.layers[1] }))
        #expect(back.snapshots.map(\.finalImageScores) == evolution.snapshots.map(\.finalImageScores)
                && back.snapshots.map(\.filterCosines) == evolution.snapshots.map(\.filterCosines))
        #expect(FeatureEvolution(file: file, checkpoints: [checkpoints[1]], testImages: images) == nil, "other steps")
        #expect(FeatureEvolution(file: file, checkpoints: [(3, LeNet5(seed: 74).network), (9, model)], testImages: images) == nil, "another checkpoint")
    }

    /// The same on a network that is not LeNet-5 (three convolutional layers).
    @Test func anyNetwork() throws {
        let network = otherNetwork(seed: 75)
        let top = TopActivations(network: network, testImages: images, count: 3)
        let file = try Safetensors.decode(top.safetensors().encoded(), path: "top9")
        #expect(file["conv3.7.reconstructions"]?.shape == [3, 28, 28])
        let back = try #require(TopActivations(file: file, network: network, testImages: images))
        #expect(back.layers.count == 3 && (0..<3).allSatisfy { same(back.layers[$0], top.layers[$0]) })
        let digits = [2, 6], pictures = [image(0, of: images), image(1, of: images)]
        let checks = SanityChecks(network: network, digits: digits, images: pictures, seed: 5)
        let rules = try Safetensors.decode(checks.rules.file(metadata: [:]).encoded(), path: "rules")
        let sanity = try Safetensors.decode(checks.file(metadata: [:]).encoded(), path: "sanity")
        let again = try #require(SanityChecks(rules: rules, sanity: sanity, network: network, digits: digits, images: pictures, seed: 5))
        #expect(again.findings == checks.findings)
        #expect(SanityChecks(rules: rules, sanity: sanity, network: otherNetwork(seed: 76), digits: digits, images: pictures, seed: 5) == nil)
    }

    @Test func sanityChecks() throws {
        let digits = [2, 6], pictures = [image(0, of: images), image(1, of: images)]
        let checks = SanityChecks(network: model, digits: digits, images: pictures, seed: 5)
        let rules = try Safetensors.decode(checks.rules.file(metadata: [:]).encoded(), path: "rules")
        let sanity = try Safetensors.decode(checks.file(metadata: [:]).encoded(), path: "sanity")
        let back = try #require(SanityChecks(rules: rules, sanity: sanity, network: model, digits: digits, images: pictures, seed: 5))
        for (a, b) in zip(back.comparisons, checks.comparisons) {
            #expect(a.condition == b.condition && a.rule == b.rule)
            #expect(a.spearman.map(\.bitPattern) == b.spearman.map(\.bitPattern) && a.ssim.map(\.bitPattern) == b.ssim.map(\.bitPattern))
        }
        #expect(back.baselines.map { $0.inputSpearman.map(\.bitPattern) } == checks.baselines.map { $0.inputSpearman.map(\.bitPattern) })
        #expect(back.findings == checks.findings)
        #expect(back.seeds == checks.seeds && back.findingsPerRedrawing == checks.findingsPerRedrawing, "the other redrawings")
        #expect(SanityChecks(rules: rules, sanity: sanity, network: model, digits: digits, images: pictures, seed: 6) == nil, "another seed")
        var withoutRedrawings = sanity
        withoutRedrawings["seed7.switches_only.guided.ssim"] = nil
        #expect(SanityChecks(rules: rules, sanity: withoutRedrawings, network: model, digits: digits, images: pictures, seed: 5) == nil,
                "a file without every redrawing's comparisons")
        #expect(SanityChecks(rules: rules, sanity: sanity, network: model, digits: [2, 7], images: pictures, seed: 5) == nil, "other digits")
        #expect(SanityChecks(rules: rules, sanity: sanity, network: model, digits: digits, images: pictures.reversed(), seed: 5) == nil,
                "other images")
    }
}
