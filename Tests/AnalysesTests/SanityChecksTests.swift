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
    static let model = LeNet5(seed: 3).network
    static let checks = SanityChecks(network: model, digits: [4, 7], images: testImages)

    var checks: SanityChecks { Self.checks }

    func condition(_ key: String, of checks: SanityChecks = Self.checks) -> SanityCondition { checks.conditions.first { $0.key == key }! }

    /// The cascade from the top convolutional layer down, then the switches alone; LeNet-5's keys
    /// are those of the LeNet-5-only code.
    @Test func conditionsCascadeFromTheTop() {
        #expect(checks.conditions.map(\.key) == ["trained", "random_conv2", "random_conv1_conv2", "switches_only"])
        #expect(checks.randomised.map(\.key) == ["random_conv2", "random_conv1_conv2", "switches_only"])
        #expect(checks.conditions.map(\.redrawn) == [[], [2], [1, 2], [1, 2]])
        #expect(checks.conditions.map(\.recomputesForward) == [true, true, true, false])
        #expect(checks.conditions[0] == .trained && checks.conditions.map(\.title) == ["trained", "conv2 redrawn", "conv1–conv2 redrawn", "switches only"])
        let other = SanityCondition.randomised(otherNetwork(seed: 1))
        #expect(other.map(\.key) == ["random_conv3", "random_conv2_conv3", "random_conv1_conv2_conv3", "switches_only"])
        #expect(other.map(\.redrawn) == [[3], [2, 3], [1, 2, 3], [1, 2, 3]])
    }

    /// The other redrawings are the checks made with their seeds, kept as Float as the file
    /// keeps them; their findings are the findings of those checks.
    @Test func otherRedrawingsAreTheChecksOfTheirSeeds() {
        let checks = SanityChecks(network: Self.model, digits: [4], images: [testImages[0]], seed: 21)
        #expect(checks.seeds == [21, 22, 23, 24, 25] && checks.seeds.count == SanityChecks.redrawingCount)
        let other = SanityChecks(network: Self.model, digits: [4], images: [testImages[0]], seed: 23)
        let kept = checks.otherRedrawings[1].comparisons
        #expect(kept.count == other.comparisons.count)
        for (a, b) in zip(kept, other.comparisons) {
            #expect(a.condition == b.condition && a.rule == b.rule)
            for measure in SanityComparison.Measure.allCases {
                #expect(a.values(measure).map(\.bitPattern) == b.values(measure).map { Double(Float($0)).bitPattern },
                        "\(a.condition.key) \(a.rule) \(measure)")
            }
        }
        #expect(checks.findingsPerRedrawing.count == 5 && checks.findingsPerRedrawing[0] == checks.findings)
        let (kept23, own23) = (checks.findingsPerRedrawing[2], other.findings)
        #expect(abs(kept23.switchesTop - own23.switchesTop) < 1e-6 && abs(kept23.underTopRedrawn - own23.underTopRedrawn) < 1e-6,
                "\(kept23.switchesTop) against \(own23.switchesTop)")
    }

    /// On a network of three convolutional layers, each cascading condition projects with its
    /// redrawn layers and its own forward pass; layers below the redrawn ones keep their pictures.
    @Test func anyNetworkCascades() {
        let network = otherNetwork(seed: 8), layers = network.convolutionalLayers
        let checks = SanityChecks(network: network, digits: [4, 7], images: testImages, seed: 11)
        #expect(checks.redrawn == network.redrawing(layers, seed: 11))
        #expect(checks.comparisons.count == 4 * 3)
        let setups: [(String, Network, Network)] = [
            ("trained", network, network),
            ("random_conv3", network.redrawing([layers[2]], seed: 11), network.redrawing([layers[2]], seed: 11)),
            ("random_conv2_conv3", network.redrawing([layers[1], layers[2]], seed: 11), network.redrawing([layers[1], layers[2]], seed: 11)),
            ("random_conv1_conv2_conv3", checks.redrawn, checks.redrawn),
            ("switches_only", checks.redrawn, network),
        ]
        for (key, filters, forward) in setups {
            for image in 0..<2 {
                for (layer, map) in [(layers[0], 1), (layers[1], 5), (layers[2], 7)] {
                    let expected = Deconvnet(network: filters).reconstruct(layer, map: map, of: tracePass(forward, testImages[image]), rule: .guided)
                    #expect(checks.projections[condition(key, of: checks)]!.projection(.guided, image: image, layer: layer, map: map) == expected,
                            "\(key), image \(image), \(layer.name) map \(map)")
                }
            }
        }
        // Redrawing conv3 alone leaves conv1's and conv2's pictures as they were.
        let c = checks.comparison(condition("random_conv3", of: checks), .deconvnet)
        #expect(c.summary(.ssim, layer: layers[0]).minimum == 1 && c.summary(.ssim, layer: layers[1]).minimum == 1)
        #expect(c.spearman.count == 2 * (4 + 6 + 8))
        let file = checks.file(metadata: [:])
        #expect(file.metadata["order"] == "digit (4,7), then conv1 maps 0-3, then conv2 maps 0-5, then conv3 maps 0-7")
        #expect(file["random.conv3.weight"]?.shape == [8, 6, 3, 3] && file["random_conv2_conv3.guided.digit7.conv3.7"]?.shape == [1, 28, 28])
        let f = checks.findings
        #expect(f.conditions.map(\.condition.key) == ["random_conv3", "random_conv2_conv3", "random_conv1_conv2_conv3", "switches_only"])
        #expect(f.conditions.allSatisfy { $0.spearman[.deconvnet]!.count == 3 && $0.ssim[.guided]!.count == 3 })
        #expect(f.conditions[0].ssim[.deconvnet]![0] == 1 && f.conditions[0].ssim[.deconvnet]![1] == 1)
        #expect(f.underTopRedrawn.isEqualOrBothNaN(c.summary(.spearman, layer: layers[2]).mean))
        let rules = checks.rules.findings
        #expect(rules.pairs == [8, 12, 16] && rules.identical.count == 3)
    }

    /// Each condition projects what its issue says: its filters, and the forward pass that gives
    /// seeds, switches and masks.
    @Test(arguments: BackwardRule.allCases)
    func conditionsUseTheirFiltersAndForwardPasses(_ rule: BackwardRule) {
        let model = Self.model, redrawn = model.redrawing([conv1, conv2], seed: checks.seed)
        let conv2Only = model.redrawing([conv2], seed: checks.seed)
        #expect(checks.redrawn == redrawn)
        func pass(_ m: Network, _ image: Int) -> NetworkPass { tracePass(m, testImages[image]) }
        let setups: [(String, Network, Network)] = [
            ("trained", model, model), ("random_conv2", conv2Only, conv2Only), ("random_conv1_conv2", redrawn, redrawn), ("switches_only", redrawn, model),
        ]
        for (key, filters, forward) in setups {
            for image in 0..<2 {
                for (layer, map) in [(conv1, 2), (conv2, 5), (conv2, 11)] {
                    let expected = Deconvnet(network: filters).reconstruct(layer, map: map, of: pass(forward, image), rule: rule)
                    #expect(checks.projections[condition(key)]!.projection(rule, image: image, layer: layer, map: map) == expected,
                            "\(key), image \(image), \(layer.name) map \(map)")
                }
            }
        }
    }

    /// Redrawing conv2 leaves conv1's projections as they were: similarity 1 (Spearman is NaN only
    /// for a blank projection). conv2's change.
    @Test func redrawingConv2LeavesConv1Alone() {
        for rule in BackwardRule.allCases {
            let c = checks.comparison(condition("random_conv2"), rule)
            for index in 0..<44 where index % 22 < 6 {
                #expect(c.ssim[index] == 1 && (c.spearman[index] == 1 || c.spearman[index].isNaN), "\(rule) \(index)")
            }
            #expect(c.summary(.ssim, layer: conv2).mean < 0.99)
            #expect(c.summary(.ssim, layer: conv1).minimum == 1)
        }
    }

    /// The stored similarities are the measures applied to the stored projections.
    @Test func similaritiesAreRecomputable() {
        let rule = BackwardRule.guided, trained = checks.rules.projections[rule]!
        let other = checks.projections[condition("switches_only")]!.projections[rule]!
        let c = checks.comparison(condition("switches_only"), rule)
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
                for prefix in [""] + (2014...2017).map({ "seed\($0)." }) {
                    expected.formUnion(["spearman", "support_spearman", "ssim"].map { "\(prefix)\(condition).\(rule).\($0)" })
                }
            }
        }
        for rule in ["gradient", "deconvnet", "guided"] { expected.formUnion(["\(rule).input_spearman", "\(rule).pairwise_spearman"]) }
        #expect(Set(file.names) == expected && file.names.count == expected.count)
        #expect(file["random.conv2.weight"]?.shape == [16, 6, 5, 5] && file["random.conv1.bias"]?.shape == [6])
        #expect(file["random.conv2.weight"]?.values == Array(checks.redrawn.lenet5![.conv2Weight]))
        #expect(file["switches_only.guided.digit7.conv2.15"]?.shape == [1, 28, 28])
        #expect(file["random_conv2.gradient.ssim"]?.shape == [44] && file["deconvnet.pairwise_spearman"]?.shape == [2])
        #expect(file.metadata["seed"] == "2013" && file.metadata["model_sha256"] == "abc")
        #expect(file.metadata["seeds"] == "2013,2014,2015,2016,2017" && file["seed2016.switches_only.deconvnet.ssim"]?.shape == [44])
        #expect(file.metadata["conditions"] == "trained,random_conv2,random_conv1_conv2,switches_only")
        #expect(file.metadata["order"] == "digit (4,7), then conv1 maps 0-5, then conv2 maps 0-15")
        let decoded = try Safetensors.decode(file.encoded(), path: "sanity")
        #expect(decoded["random_conv1_conv2.deconvnet.digit4.conv2.3"]?.values
                == checks.projections[condition("random_conv1_conv2")]!.projection(.deconvnet, image: 0, layer: conv2, map: 3))
    }

    @Test func rulesFileHoldsEveryRuleAndMap() {
        let file = checks.rules.file(metadata: [:])
        #expect(file.names.count == 2 * 3 * 22)
        #expect(file["digit7.guided.conv2.15"]?.shape == [1, 28, 28] && file["digit4.gradient.conv1.0"] != nil)
        let expected = Deconvnet(network: Self.model).reconstruct(conv2, map: 9, of: tracePass(Self.model, testImages[1]), rule: .gradient)
        #expect(file["digit7.gradient.conv2.9"]?.values == expected)
        #expect(file.metadata["rules"] == "gradient,deconvnet,guided" && file.metadata["mode"] == "whole-map")
    }

    /// The work is spread over threads, each projection computed on its own: a second run gives
    /// the same bits.
    @Test func runsAreReproducible() {
        let again = SanityChecks(network: Self.model, digits: [4, 7], images: testImages)
        #expect(again.file(metadata: [:]).encoded() == checks.file(metadata: [:]).encoded())
    }
}

extension Double {
    func isEqualOrBothNaN(_ other: Double) -> Bool { self == other || (isNaN && other.isNaN) }
}
