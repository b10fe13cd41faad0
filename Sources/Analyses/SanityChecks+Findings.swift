import Deconvnet
import Network

extension SanityChecks {
    /// What the randomisation checks say, each conclusion with the number it rests on. The
    /// conclusions are drawn on the deepest convolutional layer ("top"; LeNet-5's conv2), whose
    /// pictures pass through every layer.
    public struct Findings: Sendable, Equatable {
        /// Conclusions are drawn at these levels of mean Spearman correlation.
        public static let switchesDominateAt = 0.5, inputIsLargeAt = 0.4, mapsAlikeAt = 0.5

        /// One randomised condition: per rule, the mean Spearman correlation and SSIM with the
        /// trained pictures, per convolutional layer (by depth).
        public struct Condition: Sendable, Equatable {
            public let condition: SanityCondition
            public let spearman: [BackwardRule: [Double]]
            public let ssim: [BackwardRule: [Double]]
        }

        /// In `SanityChecks.randomised` order.
        public let conditions: [Condition]
        /// Deconvnet, top layer: random filters with the trained switches against the trained
        /// pictures, by the three measures.
        public let switchesTop: Double, switchesSupportTop: Double, switchesSSIMTop: Double
        /// The top layer's Spearman with every convolutional layer redrawn (the last cascading
        /// condition, `random_conv1_…_conv{L}`), per rule.
        public let underAllRedrawn: [BackwardRule: Double]
        /// With every convolutional layer redrawn, the top layer's Spearman of guided
        /// backpropagation minus the gradient's and minus the deconvnet's, and of the deconvnet
        /// minus the gradient's, paired picture by picture, with bootstrap intervals.
        public let guidedOverGradient: PairedDifference, guidedOverDeconvnet: PairedDifference
        public let deconvnetOverGradient: PairedDifference
        /// Deconvnet, the top layer's Spearman with only the top layer redrawn (`random_conv{L}`).
        public let underTopRedrawn: Double
        /// Deconvnet: each trained picture against its input, and among one image's pictures.
        public let inputDeconvnet: Double, pairwiseDeconvnet: Double
        /// Each trained picture against its input: the gradient's mean, and guided backpropagation's
        /// and the deconvnet's minus the gradient's, paired picture by picture (Nie et al.'s point:
        /// the two modified rules recover the input, the gradient does not).
        public let inputGradient: Double
        public let inputGuidedOverGradient: PairedDifference, inputDeconvnetOverGradient: PairedDifference
        /// Pictures left out of a mean because their similarity is undefined (blank pictures).
        public let skipped: Int

        /// Both rank correlations, of absolute values and of signed values on the pictures' support,
        /// reach the level: the switches decide the pictures' pattern, not only where they lie.
        public var switchesDominate: Bool { switchesTop >= Self.switchesDominateAt && switchesSupportTop >= Self.switchesDominateAt }
        /// Only the correlation of absolute values reaches it: the switches fix where a picture lies
        /// (its zeros and non-zeros), not its values there.
        public var switchesFixLocation: Bool { switchesTop >= Self.switchesDominateAt && switchesSupportTop < Self.switchesDominateAt }
        /// Guided backpropagation keeps more of its pictures than both other rules, each
        /// difference's 95 % interval above zero.
        public var guidedLeastChanged: Bool { guidedOverGradient.isPositive && guidedOverDeconvnet.isPositive }
        /// The gradient keeps less than both other rules, beyond the intervals.
        public var gradientMostChanged: Bool { guidedOverGradient.isPositive && deconvnetOverGradient.isPositive }
        public var inputIsLarge: Bool { inputDeconvnet >= Self.inputIsLargeAt }
        /// Both modified rules stay closer to the input than the gradient, both intervals above zero.
        public var modifiedRulesRecoverInput: Bool { inputGuidedOverGradient.isPositive && inputDeconvnetOverGradient.isPositive }
        public var mapsAlike: Bool { pairwiseDeconvnet >= Self.mapsAlikeAt }

        /// Which of the three readings of the switches the numbers support.
        public enum SwitchesReading: Sendable { case pattern, location, neither }
        public var switchesReading: SwitchesReading { switchesDominate ? .pattern : switchesFixLocation ? .location : .neither }
    }

    /// The findings of `seed`'s redrawing.
    public var findings: Findings { findings(comparisons) }

    /// The findings of every redrawing, `seed`'s first (`seeds`).
    public var findingsPerRedrawing: [Findings] { [findings] + otherRedrawings.map { findings($0.comparisons) } }

    private func findings(_ comparisons: [SanityComparison]) -> Findings {
        let layers = network.convolutionalLayers, top = layers.last!
        let randomised = self.randomised
        // randomised: the cascade from the top layer down, then switches_only.
        let topOnly = randomised.first!, everything = randomised[randomised.count - 2], switches = randomised.last!
        let comparison = comparisons.comparison
        func mean(_ c: SanityCondition, _ r: BackwardRule, _ m: SanityComparison.Measure, _ layer: ConvolutionalLayer) -> Double {
            comparison(c, r).summary(m, layer: layer).mean
        }
        let conditions = randomised.map { c in
            Findings.Condition(
                condition: c,
                spearman: Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { r in (r, layers.map { mean(c, r, .spearman, $0) }) }),
                ssim: Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { r in (r, layers.map { mean(c, r, .ssim, $0) }) }))
        }
        let (gradient, deconvnet, guided) = (comparison(everything, .gradient).values(.spearman, layer: top),
                                             comparison(everything, .deconvnet).values(.spearman, layer: top),
                                             comparison(everything, .guided).values(.spearman, layer: top))
        return Findings(
            conditions: conditions,
            switchesTop: mean(switches, .deconvnet, .spearman, top), switchesSupportTop: mean(switches, .deconvnet, .supportSpearman, top),
            switchesSSIMTop: mean(switches, .deconvnet, .ssim, top),
            underAllRedrawn: Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { ($0, mean(everything, $0, .spearman, top)) }),
            guidedOverGradient: PairedDifference(guided, gradient), guidedOverDeconvnet: PairedDifference(guided, deconvnet),
            deconvnetOverGradient: PairedDifference(deconvnet, gradient),
            underTopRedrawn: mean(topOnly, .deconvnet, .spearman, top),
            inputDeconvnet: baseline(.deconvnet).inputSpearmanSummary.mean,
            pairwiseDeconvnet: SimilaritySummary(baseline(.deconvnet).pairwiseSpearman).mean,
            inputGradient: baseline(.gradient).inputSpearmanSummary.mean,
            inputGuidedOverGradient: PairedDifference(baseline(.guided).inputSpearman, baseline(.gradient).inputSpearman),
            inputDeconvnetOverGradient: PairedDifference(baseline(.deconvnet).inputSpearman, baseline(.gradient).inputSpearman),
            skipped: comparisons.reduce(0) { $0 + $1.spearmanSummary.skipped + $1.ssimSummary.skipped })
    }
}
