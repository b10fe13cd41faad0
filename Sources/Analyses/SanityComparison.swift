import Deconvnet
import Network

/// How far one condition's projections are from the trained model's, under one backward rule:
/// one value per image and map, in `BackwardRuleProjections` order.
public struct SanityComparison: Sendable {
    public enum Measure: String, CaseIterable, Sendable {
        /// Spearman's correlation of the absolute values over the pixels.
        case spearman
        /// SSIM of the two images, each divided by its largest magnitude.
        case ssim
    }

    public let condition: SanityCondition
    public let rule: BackwardRule
    /// The convolutional layers, by depth, whose maps the values are of.
    public let layers: [ConvolutionalLayer]
    public let spearman: [Double]
    public let ssim: [Double]
    /// Over every image and map.
    public let spearmanSummary: SimilaritySummary
    public let ssimSummary: SimilaritySummary

    init(condition: SanityCondition, rule: BackwardRule, layers: [ConvolutionalLayer], spearman: [Double], ssim: [Double]) {
        self.condition = condition
        self.rule = rule
        self.layers = layers
        self.spearman = spearman
        self.ssim = ssim
        spearmanSummary = SimilaritySummary(spearman)
        ssimSummary = SimilaritySummary(ssim)
    }

    public func values(_ measure: Measure) -> [Double] { measure == .spearman ? spearman : ssim }

    /// The summary over one layer's maps only (conv1's are untouched by redrawing conv2 alone).
    public func summary(_ measure: Measure, layer: ConvolutionalLayer) -> SimilaritySummary {
        let values = values(measure)
        let perImage = layers.reduce(0) { $0 + $1.maps }, first = layers[..<(layer.number - 1)].reduce(0) { $0 + $1.maps }
        return SimilaritySummary(values.indices.filter { (first..<(first + layer.maps)).contains($0 % perImage) }.map { values[$0] })
    }
}
