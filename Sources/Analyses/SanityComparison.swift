import Deconvnet
import Network

/// How far one condition's projections are from the trained model's, under one backward rule:
/// one value per image and map, in `BackwardRuleProjections` order.
public struct SanityComparison: Sendable {
    public enum Measure: String, CaseIterable, Sendable {
        /// Spearman's correlation of the absolute values over the 784 pixels.
        case spearman
        /// SSIM of the two images, each divided by its largest magnitude.
        case ssim
    }

    public let condition: SanityCondition
    public let rule: BackwardRule
    public let spearman: [Double]
    public let ssim: [Double]
    /// Over every image and map.
    public let spearmanSummary: SimilaritySummary
    public let ssimSummary: SimilaritySummary

    init(condition: SanityCondition, rule: BackwardRule, spearman: [Double], ssim: [Double]) {
        self.condition = condition
        self.rule = rule
        self.spearman = spearman
        self.ssim = ssim
        spearmanSummary = SimilaritySummary(spearman)
        ssimSummary = SimilaritySummary(ssim)
    }

    public func values(_ measure: Measure) -> [Double] { measure == .spearman ? spearman : ssim }

    /// The summary over one layer's maps only (conv1's are untouched by redrawing conv2 alone).
    public func summary(_ measure: Measure, layer: ConvLayer) -> SimilaritySummary {
        let values = values(measure), maps = ConvLayer.allMaps
        return SimilaritySummary(values.indices.filter { maps[$0 % maps.count].layer == layer }.map { values[$0] })
    }
}
