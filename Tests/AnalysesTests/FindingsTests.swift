import Testing
@testable import Analyses
import Deconvnet
import Network

/// The summaries the prose is chosen from, on hand-made inputs whose answer is known.
@Suite struct FindingsTests {
    /// Labels: images 0–9 are digit 0, 10–19 digit 1, and so on.
    let labels = (0..<100).map { UInt8($0 / 10) }

    @Test func topImagesPurity() {
        // Map 0: nine images of digit 0; map 1: six of digit 2, three of digit 3; map 2 shares two images with map 0.
        let mixed = [Array(0..<9), [20, 21, 22, 23, 24, 25, 30, 31, 32], [0, 1, 40, 50, 60, 70, 80, 90, 91]]
        // The longer rankings: map 0's 10 zeros, map 1's 20 of digit 2 and 3 (10 each), map 2's ten digits.
        let f = TopActivations.LayerFindings(indices: mixed, ranked: [Array(0..<10), Array(20..<40), (0..<10).map { $0 * 10 }], labels: labels)
        #expect(f.maps == 3 && f.entries == 27 && f.distinctImages == 25)
        #expect(f.labelPurity == Double(9 + 6 + 2) / 27, "\(f.labelPurity)")
        #expect(f.rankedPurity == Double(10 + 10 + 1) / 40, "\(f.rankedPurity)")
        #expect(f.pureMaps == 1)
        let pure = TopActivations.LayerFindings(indices: [Array(0..<9), Array(10..<19)], ranked: [Array(0..<10), Array(10..<20)], labels: labels)
        #expect(pure.labelPurity == 1 && pure.rankedPurity == 1 && pure.pureMaps == 2)

        // Chance at 0.5 for both counts: the pure layer is above it, the mixed one (0.63, 0.53) only just.
        let half = TopActivations.ChancePurity(k: 9, maps: 3, mean: 0.3, upper: 0.5)
        func findings(_ layers: [TopActivations.LayerFindings], upper: Double = 0.5) -> TopActivations.Findings {
            let chance = TopActivations.ChancePurity(k: 9, maps: 3, mean: 0.3, upper: upper)
            return TopActivations.Findings(layers: layers, chance: layers.map { _ in chance }, rankedChance: layers.map { _ in half })
        }
        #expect(findings([f, pure]).deepestMoreSelective)
        #expect(!findings([pure, f]).deepestMoreSelective, "less selective than the first")
        #expect(findings([f, pure, pure]).deepestMoreSelective)
        #expect(!findings([pure]).deepestMoreSelective, "one layer has no deeper one")
        #expect(findings([f, pure]).aboveChance(0) && !findings([f, pure], upper: 0.7).aboveChance(0))
        #expect(!findings([f, pure], upper: 1).deepestMoreSelective, "more selective than the first, but not beyond chance")
        // Larger among the best few but not among the longer ranking: not more selective.
        let narrow = TopActivations.LayerFindings(indices: [Array(0..<9)], ranked: [(0..<40).map { $0 * 2 }], labels: labels)
        #expect(narrow.labelPurity > f.labelPurity && narrow.rankedPurity < f.rankedPurity && !findings([f, narrow]).deepestMoreSelective)
    }

    /// Chance purity by sampling against the exact value: two images of ten balanced digits share
    /// a label with probability 9/99, so the mean share is (1 + 9/99) / 2; one label always agrees.
    @Test func chancePurityMatchesTheExactValue() {
        let two = TopActivations.ChancePurity(labels: labels, k: 2, maps: 1)
        let exact = (1 + 9.0 / 99) / 2
        #expect(abs(two.mean - exact) < 0.02, "sampled \(two.mean), exact \(exact) (tolerance 0.02, about four standard errors)")
        #expect(two.upper >= two.mean && two.upper == 1, "the 95th percentile of a 0.5-or-1 share with p ≈ 0.09 is 1")
        let one = TopActivations.ChancePurity(labels: [UInt8](repeating: 7, count: 50), k: 9, maps: 4)
        #expect(one.mean == 1 && one.upper == 1)
        #expect(TopActivations.ChancePurity(labels: labels, k: 9, maps: 6) == TopActivations.ChancePurity(labels: labels, k: 9, maps: 6), "seeded")
    }

    /// A checkpoint of favourite images and their scores, whose final favourites score nothing
    /// (no near-ties) and whose filters are the final ones.
    static func measured(_ step: Int, _ images: [[Int]], _ scores: [[Float]]) -> FeatureEvolution.Findings.Measured {
        (step, images, scores, scores.map { $0.map { _ in 0 } }, images.map { $0.map { _ in 1 } })
    }

    /// conv1 (2 maps here) settles at checkpoint 1 and stays; conv2 (4 maps) at checkpoint 2. The
    /// last checkpoint, the final model, is not counted as settling.
    @Test func evolutionSettlingByImages() {
        let f = FeatureEvolution.Findings([
            Self.measured(10, [[5, 6], [1, 2, 3, 4]], [[1, 2], [1, 1, 1, 1]]),
            Self.measured(20, [[7, 8], [9, 2, 3, 4]], [[2, 4], [2, 2, 2, 2]]),
            Self.measured(30, [[7, 9], [9, 8, 3, 0]], [[3, 5], [3, 3, 3, 5]]),
            Self.measured(40, [[7, 9], [9, 8, 7, 6]], [[4, 6], [4, 4, 4, 4]]),
        ])
        #expect(f.checkpoints.map { $0.settled[0] } == [0, 1, 2, 2] && f.checkpoints.map { $0.settled[1] } == [0, 1, 2, 4])
        #expect(f.checkpoints.allSatisfy { $0.nearTies == [0, 0] })
        #expect(f.checkpoints.map { $0.meanScore[0] } == [1.5, 3, 4, 5] && f.checkpoints[2].meanScore[1] == 3.5)
        #expect(f.imagesSettle == [1, 2] && f.imagesSayLowerFirst)
        // Half settled, then lost again, does not count: only from where it holds to the end.
        let g = FeatureEvolution.Findings([Self.measured(1, [[1, 2], [1]], [[1, 1], [1]]),
                                           Self.measured(2, [[3, 4], [1]], [[1, 1], [1]]),
                                           Self.measured(3, [[1, 5], [1]], [[1, 1], [1]])])
        #expect(g.imagesSettle == [nil, 0] && !g.imagesSayLowerFirst)
        // Three layers: the lowest compared with the deepest, which never settles before the end.
        let h = FeatureEvolution.Findings([Self.measured(1, [[1], [2], [3]], [[1], [1], [1]]), Self.measured(2, [[1], [5], [4]], [[1], [1], [1]])])
        #expect(h.imagesSettle == [0, nil, nil] && h.imagesSayLowerFirst)
        // One checkpoint, the final model: nothing settles before it.
        let one = FeatureEvolution.Findings([Self.measured(1, [[1], [2]], [[1], [1]])])
        #expect(one.imagesSettle == [nil, nil] && one.filtersSettle == [nil, nil] && one.order == .notLowerFirst)
    }

    /// Another favourite on which the final one scores within 1 % is a near-tie and counts as
    /// kept; 2 % below is a change.
    @Test func evolutionNearTies() {
        let f = FeatureEvolution.Findings([
            (1, [[5, 6], [3]], [[100, 100], [10]], [[99.5, 98], [9.95]], [[1, 1], [1]]),
            (2, [[1, 2], [4]], [[100, 100], [10]], [[100, 100], [10]], [[1, 1], [1]]),
        ])
        #expect(f.checkpoints[0].settled == [0, 0] && f.checkpoints[0].nearTies == [1, 1])
        #expect(f.checkpoints[1].nearTies == [0, 0], "the final model's own choice is settled, not tied")
        #expect(f.imagesSettle == [0, 0] && !f.imagesSayLowerFirst, "both layers from the first checkpoint: together, not lower first")
    }

    /// Filters: the mean cosine has to stay at or above 0.95 to the end; the minimum is reported.
    @Test func evolutionSettlingByWeights() {
        let images = [[1], [2]], scores: [[Float]] = [[1], [1]]
        func at(_ step: Int, _ conv1: [Float], _ conv2: [Float]) -> FeatureEvolution.Findings.Measured {
            (step, images, scores, scores, [conv1, conv2])
        }
        let f = FeatureEvolution.Findings([at(1, [0.9, 0.9], [0.8, 0.8]), at(2, [0.98, 0.94], [0.96, 0.9]),
                                           at(3, [0.96, 0.96], [0.9, 0.99]), at(4, [0.96, 1], [0.97, 0.95]), at(5, [1, 1], [1, 1])])
        #expect(f.checkpoints.map { $0.meanCosine[0] }.map { ($0 * 1000).rounded() } == [900, 960, 960, 980, 1000])
        #expect(f.checkpoints.map { $0.minCosine[1] }.map { ($0 * 100).rounded() } == [80, 90, 90, 95, 100])
        #expect(f.filtersSettle == [1, 3] && f.filtersSayLowerFirst, "conv2's 0.93 then 0.945 then 0.96: from checkpoint 3")
        #expect(f.imagesSettle == [0, 0] && f.order == .disagree)
    }

    /// The sentence of the report follows both measures: lower first only when both say so, not
    /// lower first only when neither does.
    @Test func evolutionOrderNeedsBothMeasures() {
        // Per layer: the checkpoint from which its maps keep their images, and from which its
        // filters are the final ones; three checkpoints before the final model.
        func findings(images: [Int?], filters: [Int?]) -> FeatureEvolution.Findings {
            FeatureEvolution.Findings((0...3).map { i -> FeatureEvolution.Findings.Measured in
                let kept = images.map { at in i == 3 || at.map { i >= $0 } ?? false }
                let near = filters.map { at in i == 3 || at.map { i >= $0 } ?? false }
                return (i + 1, kept.map { [$0 ? 7 : i] }, [[1], [1]], [[0], [0]], near.map { [$0 ? 1 : 0.5] })
            })
        }
        let both = findings(images: [0, 2], filters: [1, nil])
        #expect(both.imagesSettle == [0, 2] && both.filtersSettle == [1, nil] && both.order == .lowerFirst)
        #expect(findings(images: [1, 1], filters: [2, 0]).order == .notLowerFirst, "together by images, upper first by weights")
        #expect(findings(images: [nil, nil], filters: [nil, 2]).order == .notLowerFirst)
        let byWeights = findings(images: [2, 0], filters: [0, 1])
        #expect(byWeights.order == .disagree && byWeights.filtersSayLowerFirst && !byWeights.imagesSayLowerFirst)
        let byImages = findings(images: [0, nil], filters: [1, 1])
        #expect(byImages.order == .disagree && !byImages.filtersSayLowerFirst && byImages.imagesSayLowerFirst)
    }

    /// A digit 6 that reads as 6 for shifts −3…+2, scales 0.85…1.2, rotations up to 40° one way and
    /// 30° the other, and as a 9 upside down; and a 1 that survives everything.
    @Test func invarianceRanges() {
        let (shifts, scales, angles) = (Invariance.Transform.translation.parameters, Invariance.Transform.scale.parameters,
                                        Invariance.Transform.rotation.parameters)
        func curves(_ predicted: [Int]) -> Invariance.Curves {
            let zeros = [Float](repeating: 0, count: predicted.count)
            return Invariance.Curves(lowDistance: zeros, highDistance: zeros, lowNormalised: zeros, highNormalised: zeros,
                                     probability: zeros, predicted: predicted)
        }
        let six = Invariance.Digit(image: DigitImage(digit: 6, testIndex: 11, image: [Float](repeating: 0, count: 784)), curves: [
            .translation: curves(shifts.map { (-3...2).contains($0) ? 6 : 5 }),
            .scale: curves(scales.map { (0.85...1.2).contains($0) || $0 == 0.6 ? 6 : 0 }),
            .rotation: curves(angles.map { $0 <= 40 || $0 >= 330 ? 6 : $0 == 180 ? 9 : 4 }),
        ])
        let one = Invariance.Digit(image: DigitImage(digit: 1, testIndex: 2, image: [Float](repeating: 0, count: 784)), curves: [
            .translation: curves(shifts.map { _ in 1 }), .scale: curves(scales.map { _ in 1 }), .rotation: curves(angles.map { _ in 1 }),
        ])
        let f = Invariance.Findings([six, one], comparesLayers: false)
        #expect(f.digits[0].shifts == -3...2 && f.digits[0].symmetricShift == 2)
        #expect(f.digits[0].scales == 0.85...1.2, "the 6 at 0.6 is not contiguous with the rest")
        #expect(f.digits[0].rotation == 30 && f.digits[0].upsideDown == 9 && f.digits[0].upsideDownIsOther)
        #expect(f.digits[1].shifts == -8...8 && f.digits[1].rotation == 360 && !f.digits[1].upsideDownIsOther)
        #expect(f.commonShift == 2 && f.commonScale == 0.85...1.2 && f.commonRotation == 30)
        // A digit misread at its original parameters keeps its label nowhere.
        #expect(Invariance.Findings.correctRun([3, 3, 5, 3], around: 2, digit: 3) == 2...2)
        #expect(Invariance.Findings.correctRun([3, 3, 3, 5], around: 1, digit: 3) == 0...2)
    }

    /// Which layer moves less, on made-up normalised distances of two digits: under shifts the high
    /// layer (mean 0.4 against the low layer's 0.7), under scaling the low one (0.6 against 0.3),
    /// under rotation neither (0.5 each). The untransformed images are left out: there the high
    /// layer's curve is 9, which would put its mean above the low one's under shifts.
    @Test func layerComparisonByMeanNormalisedDistance() {
        let madeUp: [Invariance.Transform: [(low: Float, high: Float)]] = [.translation: [(0.8, 0.3), (0.6, 0.5)],
                                                                           .scale: [(0.2, 0.7), (0.4, 0.5)],
                                                                           .rotation: [(0.5, 0.5), (0.5, 0.5)]]
        let digits = (0..<2).map { k in
            Invariance.Digit(image: DigitImage(digit: k, testIndex: k, image: [Float](repeating: 0, count: 784)),
                             curves: Dictionary(uniqueKeysWithValues: madeUp.map { t, values in
                let p = t.parameters, zeros = [Float](repeating: 0, count: p.count)
                return (t, Invariance.Curves(lowDistance: zeros, highDistance: zeros,
                                             lowNormalised: p.map { t.isIdentity($0) ? 0 : values[k].low },
                                             highNormalised: p.map { t.isIdentity($0) ? 9 : values[k].high },
                                             probability: zeros, predicted: p.map { _ in k }))
            }))
        }
        let layers = Invariance.Findings(digits, comparesLayers: true).layers
        #expect(layers.map(\.transform) == Invariance.Transform.allCases)
        for (c, expected) in zip(layers, [(0.7, 0.4, true), (0.3, 0.6, false), (0.5, 0.5, false)]) {
            #expect(abs(c.low - expected.0) < 1e-6 && abs(c.high - expected.1) < 1e-6, "\(c.transform): \(c.low), \(c.high)")
            #expect(c.highMovesLess == expected.2, "\(c.transform)")
        }
        #expect(Invariance.Findings(digits, comparesLayers: false).layers.isEmpty, "one layer is not compared with itself")
    }

    /// A vertical bar of ink in columns 12–15, so squares centred in columns 9–18 cover ink: there
    /// the probability is 0.2, elsewhere 0.9; the map's total is lowest at (10, 13), inside the
    /// strongest unit's field.
    @Test func occlusionInkAndBackground() {
        let side = 28
        var image = [Float](repeating: 0, count: 784)
        for r in 0..<side { for c in 12...15 { image[r * side + c] = 1 } }
        let truth = (0..<784).map { (9...18).contains($0 % side) }
        let probability = truth.map { $0 ? Float(0.2) : 0.9 }
        var activation = [Float](repeating: 4, count: 784)
        activation[10 * side + 13] = 1
        let label = (0..<784).map { $0 % side == 13 ? 7 : 1 }
        // Map 3's strongest unit: (2, 3), field rows 6–21, columns 10–25.
        let projection = ProjectedActivation(layer: conv2, map: 3, testIndex: 2, score: 5, unitY: 2, unitX: 3,
                                             receptiveField: ReceptiveField(network: LeNet5(seed: 3).network, layer: conv2, y: 2, x: 3),
                                             reconstruction: [Float](repeating: 0, count: 784))
        #expect(projection.receptiveField == ReceptiveField(rows: 6..<22, columns: 10..<26))
        let digit = Occlusion.Digit(image: DigitImage(digit: 1, testIndex: 2, image: image), layer: conv2, map: 3, activation: activation,
                                    probability: probability, label: label, unoccludedActivation: 8, unoccludedProbability: 0.95,
                                    projection: projection)
        let f = Occlusion.Findings([digit]).digits[0]
        #expect(abs(f.onInk - 0.2) < 1e-6 && abs(f.offInk - 0.9) < 1e-6, "\(f.onInk) \(f.offInk)")
        #expect(f.inkMatters && Occlusion.Findings([digit]).allInkMatters)
        #expect(f.lowest == 9, "the first centre with probability 0.2 in row-major order: (0, 9)")
        #expect(f.otherLabels == [7] && f.changedShare == Double(28) / 784)
        #expect(f.weakest == 10 * side + 13 && f.weakestRatio == 1.0 / 8 && f.weakestInField)
    }

    @Test func rulesAgreement() {
        let maps = lenetMaps.count
        func picture(_ seed: Int) -> [Float] { (0..<784).map { Float(($0 * 7 + seed * 13) % 29) - 14 } }
        // Gradient and guided agree on every conv2 picture, the deconvnet is reversed; conv1's
        // pictures are identical but for one.
        var gradient = (0..<maps).map { picture($0) }, guided = gradient
        let deconvnet = gradient.enumerated().map { m, p in m < 6 ? p : p.reversed() }
        guided[2][0] += 1
        gradient += gradient; guided += guided
        let f = BackwardRuleProjections(network: LeNet5(seed: 0).network, digits: [3, 7], mode: .wholeMap,
                                        projections: [.gradient: gradient, .guided: guided, .deconvnet: deconvnet + deconvnet]).findings
        #expect(f.identical[0] == 10 && f.totals[0] == 12 && !f.firstLayerAllIdentical)
        #expect(f.identical[1] == 0 && f.totals[1] == 32 && f.allIdentical == [false, false])
        #expect(f.pairs == [12, 32] && abs(f.gradientGuided[1] - 1) < 1e-12)
        #expect(f.guidedDeconvnet[1] < 1 && f.guidedCloserToDeconvnet == (f.guidedDeconvnet[1] > f.gradientGuided[1]))
        #expect(!f.guidedCloserToDeconvnet)
        #expect(f.blank == [.gradient: 0, .deconvnet: 0, .guided: 0])
        // Two silent maps on the second image under the gradient and guided rules, one under the deconvnet.
        var silentGradient = gradient, silentGuided = guided, silentDeconvnet = deconvnet + deconvnet
        for m in [maps + 4, maps + 9] { silentGradient[m] = [Float](repeating: 0, count: 784); silentGuided[m] = silentGradient[m] }
        silentDeconvnet[maps + 9] = [Float](repeating: 0, count: 784)
        let silent = BackwardRuleProjections(network: LeNet5(seed: 0).network, digits: [3, 7], mode: .wholeMap,
                                             projections: [.gradient: silentGradient, .guided: silentGuided, .deconvnet: silentDeconvnet]).findings
        #expect(silent.blank == [.gradient: 2, .deconvnet: 1, .guided: 2])
    }

    /// Each conclusion changes at its stated threshold.
    @Test func sanityConclusions() {
        // Per picture, with every layer redrawn: guided above the deconvnet above the gradient, picture by picture.
        let (gradient, deconvnet, guided) = ([0.30, 0.32, 0.28, 0.31, 0.29], [0.40, 0.41, 0.38, 0.42, 0.39], [0.50, 0.52, 0.47, 0.51, 0.49])
        func findings(switches: Double = 0.6, support: Double = 0.55, gradient: [Double] = gradient, deconvnet: [Double] = deconvnet,
                      guided: [Double] = guided, input: Double = 0.45, pairwise: Double = 0.4,
                      inputByRule: (gradient: [Double], deconvnet: [Double], guided: [Double]) = (gradient, deconvnet, guided))
            -> SanityChecks.Findings {
            let mean = { (x: [Double]) in x.reduce(0, +) / Double(x.count) }
            return SanityChecks.Findings(conditions: [], switchesTop: switches, switchesSupportTop: support, switchesSSIMTop: 0.1,
                                         underAllRedrawn: [.gradient: mean(gradient), .deconvnet: mean(deconvnet), .guided: mean(guided)],
                                         guidedOverGradient: PairedDifference(guided, gradient),
                                         guidedOverDeconvnet: PairedDifference(guided, deconvnet),
                                         deconvnetOverGradient: PairedDifference(deconvnet, gradient),
                                         underTopRedrawn: 0.5, inputDeconvnet: input, pairwiseDeconvnet: pairwise,
                                         inputGradient: mean(inputByRule.gradient),
                                         inputGuidedOverGradient: PairedDifference(inputByRule.guided, inputByRule.gradient),
                                         inputDeconvnetOverGradient: PairedDifference(inputByRule.deconvnet, inputByRule.gradient), skipped: 0)
        }
        #expect(findings().switchesDominate && !findings(switches: 0.49).switchesDominate && !findings().switchesFixLocation)
        // Absolute values agree, signed values on the support do not: the switches fix only where.
        #expect(!findings(support: 0.49).switchesDominate && findings(support: 0.49).switchesFixLocation)
        #expect(!findings(switches: 0.49, support: 0.1).switchesFixLocation && !findings(switches: 0.49, support: 0.1).switchesDominate)
        #expect(findings().guidedLeastChanged && findings().gradientMostChanged)
        // Guided above the deconvnet on average, but not picture by picture: the interval holds zero.
        let mixed = findings(guided: [0.60, 0.20, 0.58, 0.22, 0.45])
        #expect(mixed.underAllRedrawn[.guided]! > mixed.underAllRedrawn[.deconvnet]! && !mixed.guidedLeastChanged)
        #expect(!findings(guided: deconvnet).guidedLeastChanged, "a tie with the deconvnet is not least changed")
        #expect(!findings(gradient: guided, guided: gradient).guidedLeastChanged && !findings(gradient: guided, guided: gradient).gradientMostChanged)
        #expect(findings().inputIsLarge && !findings(input: 0.39).inputIsLarge)
        #expect(!findings().mapsAlike && findings(pairwise: 0.5).mapsAlike)
        // Nie et al.: both modified rules nearer the input than the gradient, picture by picture.
        #expect(findings().modifiedRulesRecoverInput)
        #expect(!findings(inputByRule: (deconvnet, gradient, guided)).modifiedRulesRecoverInput, "the deconvnet below the gradient")
        #expect(!findings(inputByRule: (gradient, gradient, gradient)).modifiedRulesRecoverInput, "no difference at all")
    }

    /// Unclipped crops keep the unit in the same place: blank where the field passes the border.
    @Test func paddedCrops() {
        let image = (0..<784).map { Float($0) }
        let network = LeNet5(seed: 0).network
        let corner = ReceptiveField.paddedCrop(image, network: network, layer: conv1, y: 0, x: 0)
        #expect(corner.side == 6 && corner.values.count == 36)
        #expect(corner.values[0] == 0 && corner.values[2 * 6 + 2] == image[0] && corner.values[5 * 6 + 5] == image[3 * 28 + 3])
        let inside = ReceptiveField.paddedCrop(image, network: network, layer: conv2, y: 2, x: 1)
        #expect(inside.side == 16 && inside.values == ReceptiveField(network: network, layer: conv2, y: 2, x: 1).crop(image, width: 28))
        #expect(ReceptiveField.unclipped(network: network, layer: conv2, y: 4, x: 4).rows == 14...29)
    }
}

/// The support measure leaves out the zeros both pictures share, which the measure of absolute
/// values counts as agreement.
@Suite struct SupportCorrelationTests {
    @Test func sharedZerosDoNotCount() {
        // Mostly shared zeros; on the four pixels either touches, the values run opposite ways.
        var a = [Float](repeating: 0, count: 100), b = a
        (a[0], a[1], a[2], a[3]) = (1, 2, 3, 4)
        (b[0], b[1], b[2], b[3]) = (4, 3, 2, 1)
        #expect(Spearman.correlation(a.map(abs), b.map(abs)) > 0.5, "the shared zeros make the absolute values agree")
        #expect(abs(SanityComparison.supportCorrelation(a, b) + 1) < 1e-12, "on the support the order is reversed: −1")
        // Signs count: the same magnitudes with the opposite sign.
        #expect(abs(SanityComparison.supportCorrelation(a, a.map { -$0 }) + 1) < 1e-12)
        // A pixel only one picture touches is in the support.
        b[50] = 5
        #expect(SanityComparison.supportCorrelation(a, b) == Spearman.correlation([1, 2, 3, 4, 0], [4, 3, 2, 1, 5]))
        #expect(SanityComparison.supportCorrelation([Float](repeating: 0, count: 9), [Float](repeating: 0, count: 9)).isNaN, "blank")
    }
}

/// The reading of the training curves, on hand-made histories.
@Suite struct TrainingCurvesTests {
    static func epochs(_ test: [Double], train: Double = 0.995, testAccuracy: Double = 0.99) -> [EpochSummary] {
        test.enumerated().map { EpochSummary(epoch: $0 + 1, trainLoss: 0.01, trainAccuracy: train, testLoss: $1, testAccuracy: testAccuracy, seconds: 1) }
    }

    @Test func risesRecoveriesAndTheEnd() {
        // A bump after epoch 2 (0.040 → 0.050, +25 %), back below 0.040 at epoch 4; ends at the lowest.
        let c = TrainingCurves(Self.epochs([0.08, 0.04, 0.05, 0.035, 0.03]))
        #expect(c.rises == [.init(epoch: 2, before: 0.04, after: 0.05, recoveredAt: 4)])
        #expect(c.risesRecover && c.endsNearLowest && c.lowest.epoch == 5)
        // A rise of 10 % or less is noise; a rise never undone ends far from the lowest.
        #expect(TrainingCurves(Self.epochs([0.05, 0.055, 0.05])).rises.isEmpty)
        let over = TrainingCurves(Self.epochs([0.05, 0.03, 0.04, 0.042]))
        #expect(over.rises.map(\.epoch) == [2] && over.rises[0].recoveredAt == nil && !over.risesRecover && !over.endsNearLowest)
        #expect(TrainingCurves(Self.epochs([0.05, 0.03, 0.0315])).endsNearLowest, "within 5 % of the lowest")
    }

    @Test func gapInPercentagePoints() {
        let small = TrainingCurves(Self.epochs([0.05], train: 0.9974, testAccuracy: 0.9918))
        #expect(abs(small.gap - 0.56) < 1e-9 && small.gapIsSmall)
        #expect(!TrainingCurves(Self.epochs([0.05], train: 0.99, testAccuracy: 0.97)).gapIsSmall)
    }
}

/// A digit turned by 180° against what its shape then is.
@Suite struct HalfTurnTests {
    static func digit(_ d: Int, upsideDown: Int) -> Invariance.Findings.Digit {
        Invariance.Findings.Digit(digit: d, shifts: 0...0, scales: 1...1, rotation: 0, upsideDown: upsideDown)
    }

    @Test func readingsOfTheTurnedShape() {
        #expect(Self.digit(0, upsideDown: 0).halfTurn == .keepsSymmetric && Self.digit(8, upsideDown: 8).halfTurn == .keepsSymmetric)
        #expect(Self.digit(0, upsideDown: 9).halfTurn == .losesSymmetric, "a turned 0 is still a 0")
        #expect(Self.digit(6, upsideDown: 9).halfTurn == .becomesPartner && Self.digit(9, upsideDown: 6).halfTurn == .becomesPartner)
        #expect(Self.digit(5, upsideDown: 5).halfTurn == .ignoresTurn, "a 5 is not symmetric under 180°")
        #expect(Self.digit(5, upsideDown: 3).halfTurn == .other && Self.digit(6, upsideDown: 6).halfTurn == .ignoresTurn)
    }
}

/// Where the chosen map gives way against where random centres would fall.
@Suite struct OcclusionChanceTests {
    static func digit(inField: Bool, share: Double) -> Occlusion.Findings.Digit {
        Occlusion.Findings.Digit(digit: 0, onInk: 0.5, offInk: 0.9, lowest: 0, otherLabels: [], changedShare: 0, weakest: 0,
                                 weakestRatio: 0.5, weakestInField: inField, fieldShare: share)
    }

    @Test func poissonBinomialTail() {
        // Four digits, each field a third of the image, all four inside: (1/3)^4.
        let all = Occlusion.Findings(digits: (0..<4).map { _ in Self.digit(inField: true, share: 1.0 / 3) })
        #expect(all.inFieldCount == 4 && abs(all.expectedInField - 4.0 / 3) < 1e-12)
        #expect(abs(all.inFieldChance - 1.0 / 81) < 1e-12 && all.inFieldBeyondChance)
        // Two of three inside fields of a half: P(K ≥ 2) = 3/8 + 1/8.
        let two = Occlusion.Findings(digits: [true, true, false].map { Self.digit(inField: $0, share: 0.5) })
        #expect(abs(two.inFieldChance - 0.5) < 1e-12 && !two.inFieldBeyondChance)
        // None inside: certain by chance.
        #expect(Occlusion.Findings(digits: [Self.digit(inField: false, share: 0.1)]).inFieldChance == 1)
        // Small fields make one hit unlikely: 1 − 0.98 · 0.97.
        let small = Occlusion.Findings(digits: [Self.digit(inField: true, share: 0.02), Self.digit(inField: false, share: 0.03)])
        #expect(abs(small.inFieldChance - (1 - 0.98 * 0.97)) < 1e-12 && small.inFieldBeyondChance)
    }
}

@Suite struct PairedDifferenceTests {
    @Test func intervalsOfPairedDifferences() {
        let constant = PairedDifference([0.5, 0.6, 0.7], [0.4, 0.5, 0.6])
        #expect(abs(constant.mean - 0.1) < 1e-12 && abs(constant.low - 0.1) < 1e-12 && abs(constant.high - 0.1) < 1e-12 && constant.isPositive)
        let skipped = PairedDifference([0.5, .nan, 0.7], [0.4, 0.5, .nan])
        #expect(skipped.count == 1 && abs(skipped.mean - 0.1) < 1e-12)
        let spread = PairedDifference([1, -1, 1, -1, 1, -1], [0, 0, 0, 0, 0, 0])
        #expect(spread.mean == 0 && spread.low < 0 && spread.high > 0 && !spread.isPositive)
        #expect(PairedDifference([], []).mean.isNaN && !PairedDifference([], []).isPositive)
        #expect(spread == PairedDifference([1, -1, 1, -1, 1, -1], [0, 0, 0, 0, 0, 0]), "seeded")
    }
}
