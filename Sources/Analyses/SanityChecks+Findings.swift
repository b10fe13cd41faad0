import Deconvnet
import Network

extension SanityChecks {
    /// What the randomisation checks say, each conclusion with the number it rests on.
    public struct Findings: Sendable, Equatable {
        /// Conclusions are drawn at these levels of mean Spearman correlation.
        public static let switchesDominateAt = 0.5, inputIsLargeAt = 0.4, mapsAlikeAt = 0.5

        /// Deconvnet, conv2: random filters with the trained switches against the trained pictures.
        public let switchesConv2: Double, switchesSSIMConv2: Double
        /// conv2's Spearman under `random_conv1_conv2`, per rule.
        public let underRandomConv1Conv2: [BackwardRule: Double]
        /// Deconvnet, conv2's Spearman under `random_conv2`.
        public let underRandomConv2: Double
        /// Deconvnet: each trained picture against its input, and among one image's pictures.
        public let inputDeconvnet: Double, pairwiseDeconvnet: Double
        /// Pictures left out of a mean because their similarity is undefined (blank pictures).
        public let skipped: Int

        public var switchesDominate: Bool { switchesConv2 >= Self.switchesDominateAt }
        public var guidedLeastChanged: Bool {
            let r = underRandomConv1Conv2
            return r[.guided]! > r[.gradient]! && r[.guided]! >= r[.deconvnet]!
        }
        public var gradientMostChanged: Bool {
            let r = underRandomConv1Conv2
            return r[.gradient]! < r[.deconvnet]! && r[.gradient]! < r[.guided]!
        }
        public var inputIsLarge: Bool { inputDeconvnet >= Self.inputIsLargeAt }
        public var mapsAlike: Bool { pairwiseDeconvnet >= Self.mapsAlikeAt }
    }

    public var findings: Findings {
        func conv2(_ c: SanityCondition, _ r: BackwardRule, _ m: SanityComparison.Measure) -> Double { comparison(c, r).summary(m, layer: .conv2).mean }
        return Findings(
            switchesConv2: conv2(.switchesOnly, .deconvnet, .spearman), switchesSSIMConv2: conv2(.switchesOnly, .deconvnet, .ssim),
            underRandomConv1Conv2: Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { ($0, conv2(.randomConv1Conv2, $0, .spearman)) }),
            underRandomConv2: conv2(.randomConv2, .deconvnet, .spearman),
            inputDeconvnet: baseline(.deconvnet).inputSpearmanSummary.mean,
            pairwiseDeconvnet: SimilaritySummary(baseline(.deconvnet).pairwiseSpearman).mean,
            skipped: comparisons.reduce(0) { $0 + $1.spearmanSummary.skipped + $1.ssimSummary.skipped })
    }
}
