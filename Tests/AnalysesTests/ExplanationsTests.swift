import Foundation
import Testing
@testable import Analyses
import Network
import MNIST

/// The whole analysis on a few images: its files read back to the same values, refused when they
/// belong to other settings or were altered; the randomisation's correlations recomputed; and
/// every finding's sentence choice both ways.
@Suite struct ExplanationsTests {
    static let network = try! AttributionTests.committed()
    static let digits = zip([0, 1], [3, 2]).map { DigitImage(digit: $0, testIndex: $1, image: AttributionTests.test.images([$1])) }
    static let images = AttributionTests.test.images(0..<3)
    static let explanations = Explanations(network: network, digits: digits, testImages: images, seed: 1, randomisationImages: 2)

    static func files(_ e: Explanations = explanations) throws -> (Safetensors, Safetensors) {
        let metadata = ["model_sha256": "x"]
        return (try Safetensors.decode(e.attributionsFile(network: network, metadata: metadata).encoded(), path: "a"),
                try Safetensors.decode(e.faithfulnessFile(network: network, metadata: metadata).encoded(), path: "f"))
    }

    static func readBack(_ a: Safetensors, _ f: Safetensors, seed: UInt64 = 1, images: [Float] = images) -> Explanations? {
        Explanations(attributions: a, faithfulness: f, network: network, digits: digits, testImages: images, seed: seed,
                     randomisationImages: 2)
    }

    /// LeNet-5 and cheaper networks get 1,000 and 100 images; one shaped as PyTorch's MNIST
    /// example (conv 32@3×3, conv 64@3×3, max-pool, a linear layer: 26 times LeNet-5's forward
    /// pass) 1,000 / 26 and 100 / 26, down to a multiple of ten and at least 10.
    @Test func defaultImagesFallWithTheForwardPassCost() throws {
        #expect(Explanations.defaultImages(for: LeNet5(seed: 1).network) == (1000, 100))
        #expect(Explanations.defaultImages(for: otherNetwork(seed: 1)) == (1000, 100))
        let kinds: [Layer.Kind] = [.convolution(outChannels: 32, kernel: 3, stride: 1, padding: 0), .relu,
                                   .convolution(outChannels: 64, kernel: 3, stride: 1, padding: 0), .relu, .maxPool(kernel: 2, stride: 2),
                                   .flatten, .linear(outFeatures: 10)]
        let count = 32 * 9 + 32 + 64 * 32 * 9 + 64 + 9216 * 10 + 10
        let costly = try Network(imageHeight: 28, imageWidth: 28, kinds: kinds, parameters: [Float](repeating: 0.01, count: count))
        let cost = Double(costly.forwardFLOPs) / Double(LeNet5.forwardFLOPs)
        #expect((26..<27).contains(cost), "cost \(cost)")
        #expect(Explanations.defaultImages(for: costly) == (30, 10))
    }

    @Test func filesHoldTheIssuesKeys() throws {
        let (a, f) = try Self.files()
        for d in [0, 1] {
            for m in ["gradient", "gradient_x_input", "integrated_gradients", "smoothgrad", "gradcam", "guided_gradcam", "guided_backprop",
                      "deconvnet", "occlusion"] {
                #expect(a["digit\(d).\(m)"]?.shape == [1, 28, 28])
                for kind in ["deletion", "insertion"] {
                    #expect(f["\(m).\(kind)"]?.shape == [3, 29] && f["\(m).\(kind)_auc"]?.shape == [3])
                }
            }
        }
        #expect(f["random.deletion"]?.shape == [3, 29] && f["random.insertion_auc"]?.shape == [3])
        #expect(f["indices"]?.integers == [0, 1, 2] && f["classes"]?.integers?.count == 3)
        #expect(f["random_conv2.gradient.spearman"]?.shape == [2] && f["random_conv1_conv2.occlusion.spearman"]?.shape == [2])
        #expect(a["random_conv2.digit0.gradcam"]?.shape == [1, 28, 28] && a["random_conv2.digit1.gradcam"] == nil)
        let auc = try #require(f["gradient.deletion_auc"]).values
        #expect(auc == Self.explanations.faithfulness.deletionAreas("gradient").map(Float.init))
    }

    @Test func readsBackTheSameValues() throws {
        let (a, f) = try Self.files()
        let back = try #require(Self.readBack(a, f))
        let e = Self.explanations
        for m in AttributionMethod.allCases {
            #expect(back.digitAttributions.values[m] == e.digitAttributions.values[m])
            for c in e.conditions { #expect(back.randomisedExample[c]!.values[m] == e.randomisedExample[c]!.values[m]) }
        }
        #expect(back.digitAttributions.classes == e.digitAttributions.classes)
        #expect(back.faithfulness.deletion == e.faithfulness.deletion && back.faithfulness.insertion == e.faithfulness.insertion)
        #expect(back.completenessErrors.map(Float.init) == e.completenessErrors.map(Float.init))
        #expect(back.findings.methods.map(\.method) == e.findings.methods.map(\.method))
        #expect(back.findings.bestByDeletion == e.findings.bestByDeletion)
        #expect(zip(back.findings.methods, e.findings.methods).allSatisfy { abs($0.randomised.last! - $1.randomised.last!) < 1e-6 })
    }

    @Test func refusesFilesOfOtherSettingsOrAltered() throws {
        let (a, f) = try Self.files()
        #expect(Self.readBack(a, f, seed: 2) == nil, "another seed")
        #expect(Self.readBack(a, f, images: AttributionTests.test.images(0..<4)) == nil, "more images")
        var tampered = f
        var row = try #require(tampered["gradient.deletion"])
        var values = row.values
        values[3] = values[3].nextUp
        row = .init(shape: row.shape, values: values)
        tampered["gradient.deletion"] = row
        #expect(Self.readBack(a, tampered) == nil, "the first image's curve altered in one bit")
        var missing = a
        missing["digit1.occlusion"] = nil
        #expect(Self.readBack(missing, f) == nil, "a tensor missing")
        var wrongShape = f
        wrongShape["random_conv2.gradient.spearman"] = .init(shape: [3], values: [0, 0, 0])
        #expect(Self.readBack(a, wrongShape) == nil, "a tensor of the wrong shape")
    }

    /// Each correlation is Spearman's of the absolute attributions, trained against redrawn.
    @Test func randomisationComparesWithTheRedrawnModel() {
        let e = Self.explanations, condition = e.conditions[0]
        #expect(e.conditions.map(\.key) == ["random_conv2", "random_conv1_conv2"])
        let redrawn = Self.network.redrawing([Self.network.convolutionalLayers[1]], seed: SanityChecks.defaultSeed)
        let image = Array(Self.images[784..<1568])
        let trained = ClassAttributions(network: Self.network, images: image, indices: [1], seed: 1)
        let other = ClassAttributions(network: redrawn, images: image, indices: [1], classes: trained.classes, seed: 1)
        for m in AttributionMethod.allCases {
            let expected = Spearman.correlation(trained.attribution(m, image: 0).map(abs), other.attribution(m, image: 0).map(abs))
            let stored = e.randomisation.spearman[condition]![m]![1]
            #expect(stored == expected || (stored.isNaN && expected.isNaN), "\(m.rawValue): \(stored) against \(expected)")
        }
        // The example digit under that condition is the same computation.
        let example = ClassAttributions(network: redrawn, images: Self.digits[0].image, indices: [3],
                                        classes: [e.digitAttributions.classes[0]], seed: 1)
        #expect(example.values == e.randomisedExample[condition]!.values)
    }
}

/// The findings' sentence choices, each both ways, on made-up numbers.
@Suite struct ExplanationsFindingsTests {
    typealias F = Explanations.Findings

    /// Paired differences of made-up correlations: `difference` ± a little per image.
    static func paired(_ difference: Double) -> PairedDifference {
        let base = (0..<100).map { 0.3 + 0.002 * Double($0 % 17) }
        return PairedDifference(zip(base, 0..<100).map { $0 + difference + 0.05 * sin(Double($1)) }, base)
    }

    static func findings(randomised: [AttributionMethod: [Double]] = [:], unrelated: [AttributionMethod: Double] = [:],
                         redrawnInput: [AttributionMethod: Double] = [:], deletion: [AttributionMethod: Double] = [:],
                         insertion: [AttributionMethod: Double] = [:], completeness: Double = -0.05,
                         guidedOver: (gradient: Double, gradCAM: Double) = (0, 0), leads: (deletion: Double, insertion: Double) = (0, 0)) -> F {
        let methods = AttributionMethod.allCases.map { m in
            F.Method(method: m, deletion: .init(mean: deletion[m] ?? 0.2, lowerQuartile: 0.1, upperQuartile: 0.3),
                     insertion: .init(mean: insertion[m] ?? 0.6, lowerQuartile: 0.5, upperQuartile: 0.7),
                     deletionBeatsRandom: 0.9, insertionBeatsRandom: 0.8, randomised: randomised[m] ?? [0.3, 0.2],
                     unrelated: unrelated[m] ?? 0, input: 0.4, redrawnInput: redrawnInput[m] ?? 0.3)
        }
        let f = F(methods: methods, randomDeletion: .init(mean: 0.4, lowerQuartile: 0.3, upperQuartile: 0.5),
                  randomInsertion: .init(mean: 0.3, lowerQuartile: 0.2, upperQuartile: 0.4), images: 1000, randomisationImages: 100,
                  completenessError: completeness, logProbabilityGap: 3.2, runnerUpByDeletion: .gradient, deletionLead: paired(leads.deletion),
                  runnerUpByInsertion: .gradient, insertionLead: paired(leads.insertion), guidedOverGradient: paired(guidedOver.gradient),
                  guidedOverGradCAM: paired(guidedOver.gradCAM))
        return f
    }

    @Test func adebayosResultHoldsOrNot() {
        let guidedFail: [AttributionMethod: [Double]] = [.guidedBackprop: [0.9, 0.8], .guidedGradCAM: [0.9, 0.7]]
        let agrees = Self.findings(randomised: guidedFail)
        #expect(agrees.agreesWithAdebayo && agrees.failing == [.guidedGradCAM, .guidedBackprop] && !agrees.passing.contains(.guidedBackprop))
        #expect(!Self.findings(randomised: [.guidedBackprop: [0.9, 0.8]]).agreesWithAdebayo, "guided Grad-CAM passes")
        let allPass = Self.findings()
        #expect(!allPass.agreesWithAdebayo && allPass.failing.isEmpty)
        let gradientFails = Self.findings(randomised: guidedFail.merging([.gradient: [0.7, 0.6]]) { $1 })
        #expect(!gradientFails.agreesWithAdebayo && gradientFails.failing == [.gradient, .guidedGradCAM, .guidedBackprop])
        #expect(!Self.findings(randomised: guidedFail.merging([.gradCAM: [0.9, 0.5]]) { $1 }).agreesWithAdebayo, "0.5 is not below 0.5")
        // The weaker form: guided backpropagation keeps more than both, paired intervals above zero,
        // whether or not it crosses the threshold.
        let weaker = Self.findings(randomised: [.guidedBackprop: [0.55, 0.47], .gradient: [0.27, 0.26], .gradCAM: [0.0, 0.14]],
                                   guidedOver: (0.21, 0.3))
        #expect(weaker.guidedChangesLeast && !weaker.agreesWithAdebayo)
        #expect(weaker.guidedOverGradient.low > 0 && abs(weaker.guidedOverGradient.mean - 0.21) < 0.02)
        #expect(!Self.findings(guidedOver: (0.21, 0)).guidedChangesLeast, "no more than Grad-CAM")
        #expect(!Self.findings(guidedOver: (-0.1, 0.3)).guidedChangesLeast, "less than the gradient")
        #expect(!agrees.guidedChangesLeast, "the means alone do not decide it")
    }

    /// A method passes below the midpoint between the unrelated images' level and 1.
    @Test func passingIsJudgedAgainstUnrelatedImages() {
        let f = Self.findings(randomised: [.gradientXInput: [0.8, 0.75], .integratedGradients: [0.9, 0.85]],
                              unrelated: [.gradientXInput: 0.6, .integratedGradients: 0.6])
        #expect(f.method(.gradientXInput).passesBelow == 0.8 && f.method(.gradientXInput).passes)
        #expect(!f.method(.integratedGradients).passes && f.failing == [.integratedGradients])
        #expect(Self.findings().method(.gradient).passesBelow == 0.5)
        // An undefined correlation (a constant picture) counts as 0, a complete change.
        #expect(F.undefinedAsZero([0.5, .nan, 1]) == [0.5, 0, 1])
    }

    @Test func inputLikeMethodsAreThoseThatFailAndStillLookLikeTheInput() {
        let failing: [AttributionMethod: [Double]] = [.integratedGradients: [0.99, 0.99], .occlusion: [0.75, 0.73]]
        let f = Self.findings(randomised: failing)
        // Every made-up redrawn attribution correlates 0.3 with the input: none is input-like.
        #expect(f.failing == [.integratedGradients, .occlusion] && f.inputLike.isEmpty)
        let g = Self.findings(randomised: failing, redrawnInput: [.integratedGradients: 0.99, .gradient: 0.9])
        #expect(g.inputLike == [.integratedGradients], "the gradient passes, so it is not listed")
    }

    @Test func bestMethodsTheirLeadAndTheRandomOrder() {
        let same = Self.findings(deletion: [.occlusion: 0.05], insertion: [.occlusion: 0.9], leads: (0.05, 0.05))
        #expect(same.bestByDeletion == .occlusion && same.bestByInsertion == .occlusion)
        #expect(same.clearlyBestByDeletion && same.clearlyBestByInsertion)
        let close = Self.findings(deletion: [.integratedGradients: 0.05], insertion: [.occlusion: 0.9], leads: (0.05, -0.01))
        #expect(close.bestByDeletion == .integratedGradients && close.bestByInsertion == .occlusion)
        #expect(close.clearlyBestByDeletion && !close.clearlyBestByInsertion, "an interval reaching below zero is no clear lead")
        #expect(Self.findings().bestByDeletion == .gradient, "of equal ones the first")
        #expect(same.allBeatRandom && same.noBetterThanRandomByDeletion.isEmpty)
        let worse = Self.findings(deletion: [.deconvnet: 0.4], insertion: [.gradCAM: 0.25])
        #expect(!worse.allBeatRandom && worse.noBetterThanRandomByDeletion == [.deconvnet])
        #expect(worse.noBetterThanRandomByInsertion == [.gradCAM])
    }

    /// Of the methods that pass, the best by each score among those that beat the random order.
    @Test func bestPassingMethods() {
        let f = Self.findings(randomised: [.integratedGradients: [0.99, 0.99]], deletion: [.integratedGradients: 0.01, .occlusion: 0.05],
                              insertion: [.deconvnet: 0.95])
        #expect(f.bestPassingByDeletion == .occlusion && f.bestPassingByInsertion == .deconvnet, "integrated gradients fails")
        let none = Self.findings(randomised: Dictionary(uniqueKeysWithValues: AttributionMethod.allCases.map { ($0, [0.9, 0.9]) }))
        #expect(none.bestPassingByDeletion == nil && none.bestPassingByInsertion == nil)
        let noneBeatsRandom = Self.findings(deletion: Dictionary(uniqueKeysWithValues: AttributionMethod.allCases.map { ($0, 0.5) }))
        #expect(noneBeatsRandom.bestPassingByDeletion == nil && noneBeatsRandom.bestPassingByInsertion != nil)
    }

    @Test func completenessIsTheWeightsOrNot() {
        #expect(Self.findings(completeness: -3.2 / 64).completenessIsTheWeights)
        #expect(!Self.findings(completeness: 3.2 / 64).completenessIsTheWeights, "an overshoot is not the weights' shortfall")
        #expect(!Self.findings(completeness: -0.5).completenessIsTheWeights)
        #expect(!Self.findings(completeness: -0.001).completenessIsTheWeights)
        #expect(abs(Self.findings(completeness: -0.32).relativeCompletenessError + 0.1) < 1e-12)
    }
}
