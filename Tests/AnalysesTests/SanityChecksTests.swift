import Testing
@testable import Analyses
@testable import Deconvnet
@testable import Network

/// Two test images: a bright ring and seeded noise.
let testImages: [[Float]] = {
    let ring: [Float] = (0..<784).map { i in
        let (y, x) = (Double(i / 28) - 13.5, Double(i % 28) - 13.5)
        return abs((x * x + y * y).squareRoot() - 8) < 2.5 ? 1 : 0
    }
    var random = SplitMix64(seed: 5)
    return [ring, (0..<784).map { _ in random.nextUnitFloat() }]
}()

@Suite struct SanityChecksTests {
    /// A stand-in for the trained model: random weights of another seed.
    static let model = LeNet5(seed: 3)
    static let checks = SanityChecks(model: model, digits: [4, 7], images: testImages)

    var checks: SanityChecks { Self.checks }

    /// Each condition projects what its issue says: its filters, and the forward pass that gives
    /// seeds, switches and masks.
    @Test(arguments: BackwardRule.allCases)
    func conditionsUseTheirFiltersAndForwardPasses(_ rule: BackwardRule) {
        let model = Self.model, redrawn = model.redrawing([.conv1, .conv2], seed: checks.seed)
        let conv2Only = model.redrawing([.conv2], seed: checks.seed)
        #expect(checks.redrawn == redrawn)
        func pass(_ m: LeNet5, _ image: Int) -> PoolActivations { PoolActivations(m.forward(images: testImages[image]), image: 0) }
        let setups: [(SanityCondition, LeNet5, LeNet5)] = [
            (.trained, model, model), (.randomConv2, conv2Only, conv2Only), (.randomConv1Conv2, redrawn, redrawn), (.switchesOnly, redrawn, model),
        ]
        for (condition, filters, forward) in setups {
            for image in 0..<2 {
                for (layer, map) in [(ConvLayer.conv1, 2), (.conv2, 5), (.conv2, 11)] {
                    let expected = Deconvnet(model: filters).reconstruct(layer, map: map, of: pass(forward, image), rule: rule)
                    #expect(checks.projections[condition]!.projection(rule, image: image, layer: layer, map: map) == expected,
                            "\(condition), image \(image), \(layer) map \(map)")
                }
            }
        }
    }

    /// Redrawing conv2 leaves conv1's projections as they were: similarity 1 (Spearman is NaN only
    /// for a blank projection). conv2's change.
    @Test func redrawingConv2LeavesConv1Alone() {
        for rule in BackwardRule.allCases {
            let c = checks.comparison(.randomConv2, rule)
            for index in 0..<44 where index % 22 < 6 {
                #expect(c.ssim[index] == 1 && (c.spearman[index] == 1 || c.spearman[index].isNaN), "\(rule) \(index)")
            }
            #expect(c.summary(.ssim, layer: .conv2).mean < 0.99)
            #expect(c.summary(.ssim, layer: .conv1).minimum == 1)
        }
    }

    /// The stored similarities are the measures applied to the stored projections.
    @Test func similaritiesAreRecomputable() {
        let rule = BackwardRule.guided, trained = checks.rules.projections[rule]!
        let other = checks.projections[.switchesOnly]!.projections[rule]!
        let c = checks.comparison(.switchesOnly, rule)
        #expect(c.spearman.count == 44 && c.ssim.count == 44)
        for index in [0, 7, 30, 43] {
            #expect(c.spearman[index].isEqualOrBothNaN(Spearman.correlation(trained[index].map(abs), other[index].map(abs))))
            #expect(c.ssim[index] == SSIM.ofProjections(trained[index], other[index]))
        }
        let b = checks.baseline(rule)
        #expect(b.inputSpearman[30].isEqualOrBothNaN(Spearman.correlation(trained[30].map(abs), testImages[1])))
        var pairs: [Double] = []
        for i in 0..<22 { for j in (i + 1)..<22 { pairs.append(Spearman.correlation(trained[i].map(abs), trained[j].map(abs))) } }
        let defined = pairs.filter { !$0.isNaN }
        #expect(b.pairwiseSkipped[0] == pairs.count - defined.count)
        #expect(abs(b.pairwiseSpearman[0] - defined.reduce(0, +) / Double(defined.count)) <= 1e-12)
    }

    @Test func sanityFileHoldsExactlyTheIssuesKeys() throws {
        let file = checks.file(metadata: ["model_sha256": "abc"])
        var expected: Set<String> = ["random.conv1.weight", "random.conv1.bias", "random.conv2.weight", "random.conv2.bias"]
        for condition in ["random_conv2", "random_conv1_conv2", "switches_only"] {
            for rule in ["gradient", "deconvnet", "guided"] {
                for digit in [4, 7] {
                    for c in 0..<6 { expected.insert("\(condition).\(rule).digit\(digit).conv1.\(c)") }
                    for c in 0..<16 { expected.insert("\(condition).\(rule).digit\(digit).conv2.\(c)") }
                }
                expected.formUnion(["\(condition).\(rule).spearman", "\(condition).\(rule).ssim"])
            }
        }
        for rule in ["gradient", "deconvnet", "guided"] { expected.formUnion(["\(rule).input_spearman", "\(rule).pairwise_spearman"]) }
        #expect(Set(file.names) == expected && file.names.count == expected.count)
        #expect(file["random.conv2.weight"]?.shape == [16, 6, 5, 5] && file["random.conv1.bias"]?.shape == [6])
        #expect(file["random.conv2.weight"]?.values == Array(checks.redrawn[.conv2Weight]))
        #expect(file["switches_only.guided.digit7.conv2.15"]?.shape == [1, 28, 28])
        #expect(file["random_conv2.gradient.ssim"]?.shape == [44] && file["deconvnet.pairwise_spearman"]?.shape == [2])
        #expect(file.metadata["seed"] == "2013" && file.metadata["model_sha256"] == "abc")
        #expect(file.metadata["conditions"] == "trained,random_conv2,random_conv1_conv2,switches_only")
        #expect(file.metadata["order"] == "digit (4,7), then conv1 maps 0-5, then conv2 maps 0-15")
        let decoded = try Safetensors.decode(file.encoded(), path: "sanity")
        #expect(decoded["random_conv1_conv2.deconvnet.digit4.conv2.3"]?.values
                == checks.projections[.randomConv1Conv2]!.projection(.deconvnet, image: 0, layer: .conv2, map: 3))
    }

    @Test func rulesFileHoldsEveryRuleAndMap() {
        let file = checks.rules.file(metadata: [:])
        #expect(file.names.count == 2 * 3 * 22)
        #expect(file["digit7.guided.conv2.15"]?.shape == [1, 28, 28] && file["digit4.gradient.conv1.0"] != nil)
        let expected = Deconvnet(model: Self.model).reconstruct(.conv2, map: 9, of: PoolActivations(Self.model.forward(images: testImages[1]), image: 0),
                                                                rule: .gradient)
        #expect(file["digit7.gradient.conv2.9"]?.values == expected)
        #expect(file.metadata["rules"] == "gradient,deconvnet,guided" && file.metadata["mode"] == "whole-map")
    }

    /// The work is spread over threads, each projection computed on its own: a second run gives
    /// the same bits.
    @Test func runsAreReproducible() {
        let again = SanityChecks(model: Self.model, digits: [4, 7], images: testImages)
        #expect(again.file(metadata: [:]).encoded() == checks.file(metadata: [:]).encoded())
    }
}

extension Double {
    func isEqualOrBothNaN(_ other: Double) -> Bool { self == other || (isNaN && other.isNaN) }
}
