import Deconvnet
import Network

/// How far one condition's projections are from the trained model's, under one backward rule:
/// one value per image and map, in `BackwardRuleProjections` order.
public struct SanityComparison: Sendable {
    public enum Measure: String, CaseIterable, Sendable {
        /// Spearman's correlation of the absolute values over the pixels.
        case spearman
        /// Spearman's correlation of the signed values over the pixels where either picture is
        /// non-zero: the zeros both pictures share, which the first measure counts as agreement,
        /// left out.
        case supportSpearman = "support_spearman"
        /// SSIM of the two images, each divided by its largest magnitude.
        case ssim
    }

    public let condition: SanityCondition
    public let rule: BackwardRule
    /// The convolutional layers, by depth, whose maps the values are of.
    public let layers: [ConvolutionalLayer]
    public let spearman: [Double], supportSpearman: [Double]
    public let ssim: [Double]
    /// Over every image and map.
    public let spearmanSummary: SimilaritySummary, supportSpearmanSummary: SimilaritySummary
    public let ssimSummary: SimilaritySummary

    init(condition: SanityCondition, rule: BackwardRule, layers: [ConvolutionalLayer], spearman: [Double], supportSpearman: [Double],
         ssim: [Double]) {
        self.condition = condition
        self.rule = rule
        self.layers = layers
        (self.spearman, self.supportSpearman, self.ssim) = (spearman, supportSpearman, ssim)
        spearmanSummary = SimilaritySummary(spearman)
        supportSpearmanSummary = SimilaritySummary(supportSpearman)
        ssimSummary = SimilaritySummary(ssim)
    }

    /// Its values rounded to Float, as `sanity.safetensors` keeps them: what a warm run reads back
    /// of the redrawings it keeps no pictures of.
    var roundedToFloat: SanityComparison {
        let round = { (values: [Double]) in values.map { Double(Float($0)) } }
        return SanityComparison(condition: condition, rule: rule, layers: layers, spearman: round(spearman),
                                supportSpearman: round(supportSpearman), ssim: round(ssim))
    }

    public func values(_ measure: Measure) -> [Double] {
        switch measure {
        case .spearman: spearman
        case .supportSpearman: supportSpearman
        case .ssim: ssim
        }
    }

    /// Spearman's correlation of `a` and `b` over the pixels where either is non-zero (NaN when
    /// fewer than two are, or the values there do not vary).
    static func supportCorrelation(_ a: [Float], _ b: [Float]) -> Double {
        let support = a.indices.filter { a[$0] != 0 || b[$0] != 0 }
        guard support.count >= 2 else { return .nan }
        return Spearman.correlation(support.map { a[$0] }, support.map { b[$0] })
    }

    /// The values of one layer's maps only, image by image.
    public func values(_ measure: Measure, layer: ConvolutionalLayer) -> [Double] {
        let values = values(measure)
        let perImage = layers.reduce(0) { $0 + $1.maps }, first = layers[..<(layer.number - 1)].reduce(0) { $0 + $1.maps }
        return values.indices.filter { (first..<(first + layer.maps)).contains($0 % perImage) }.map { values[$0] }
    }

    /// The summary over one layer's maps only (conv1's are untouched by redrawing conv2 alone).
    public func summary(_ measure: Measure, layer: ConvolutionalLayer) -> SimilaritySummary {
        SimilaritySummary(values(measure, layer: layer))
    }
}
