import Analyses
import Charts
import Deconvnet
import Network
import Graphics
import Network

/// The chapter on how much of each picture survives when the learned filters are replaced by random
/// ones (Adebayo et al., 2018), under each of the three rules.
struct SanityChapter: Chapter {
    struct Row {
        let condition: String, rule: String
        let spearman: String, spearmanQuartiles: String, spearmanConv2: String
        let ssim: String, ssimConv2: String
    }

    struct Baseline {
        let rule: String
        let input: String, pairwise: String
    }

    struct Context {
        let seed: UInt64
        let exampleDigit: Int
        let rows: [Row]
        let baselines: [Baseline]
        let anySkipped: Bool
        // The conclusions, each chosen by the numbers it quotes.
        let switchesConv2: String, switchesSSIMConv2: String
        let switchesDominate: Bool
        let randomGradient: String, randomGuided: String, randomDeconvnet: String
        let guidedLeastChanged: Bool, gradientMostChanged: Bool
        let inputDeconvnet: String
        let inputIsLarge: Bool
        let pairwiseDeconvnet: String
        let mapsAlike: Bool
        let randomConv2Conv2: String
    }

    static let name = "sanity"
    let figures: [NamedFigure]
    let tables = ["sanity"]
    let context: Context

    init(_ run: RunResults) {
        let sanity = run.analyses.sanity, findings = sanity.findings
        figures = BackwardRule.allCases.map { ("sanity_\($0.rawValue)", Self.conditions(sanity, rule: $0, input: run.digits[0].input)) }
            + [("sanity_similarity", Self.chart(sanity))]
        let number = { (x: Double) in Formatted.decimal(x, 2) }
        let rows = SanityCondition.randomised.flatMap { condition in
            BackwardRule.allCases.map { rule in
                let c = sanity.comparison(condition, rule)
                return Row(condition: condition.title, rule: rule.rawValue, spearman: number(c.spearmanSummary.mean),
                           spearmanQuartiles: "\(number(c.spearmanSummary.lowerQuartile))–\(number(c.spearmanSummary.upperQuartile))",
                           spearmanConv2: number(c.summary(.spearman, layer: .conv2).mean), ssim: number(c.ssimSummary.mean),
                           ssimConv2: number(c.summary(.ssim, layer: .conv2).mean))
            }
        }
        let baselines = BackwardRule.allCases.map { rule in
            let b = sanity.baseline(rule)
            return Baseline(rule: rule.rawValue, input: number(b.inputSpearmanSummary.mean), pairwise: number(SimilaritySummary(b.pairwiseSpearman).mean))
        }
        let random = findings.underRandomConv1Conv2
        context = Context(
            seed: sanity.seed, exampleDigit: run.digits[0].digit, rows: rows, baselines: baselines, anySkipped: findings.skipped > 0,
            switchesConv2: number(findings.switchesConv2), switchesSSIMConv2: number(findings.switchesSSIMConv2),
            switchesDominate: findings.switchesDominate,
            randomGradient: number(random[.gradient]!), randomGuided: number(random[.guided]!), randomDeconvnet: number(random[.deconvnet]!),
            guidedLeastChanged: findings.guidedLeastChanged, gradientMostChanged: findings.gradientMostChanged,
            inputDeconvnet: number(findings.inputDeconvnet), inputIsLarge: findings.inputIsLarge,
            pairwiseDeconvnet: number(findings.pairwiseDeconvnet), mapsAlike: findings.mapsAlike,
            randomConv2Conv2: number(findings.underRandomConv2))
    }

    /// One digit's 22 maps under one rule: a row per condition.
    static func conditions(_ sanity: SanityChecks, rule: BackwardRule, input: [Float]) -> Keyed {
        ImageGrid.mapRows(SanityCondition.allCases.map { condition in
            (condition.title, input, ConvLayer.allMaps.map { sanity.projections[condition]!.projection(rule, image: 0, layer: $0.layer, map: $0.map) })
        })
    }

    /// Mean similarity to the trained pictures, per condition and rule, with the quartiles over
    /// the image-map pairs as whiskers.
    static func chart(_ sanity: SanityChecks) -> Keyed {
        let charts = SanityComparison.Measure.allCases.map { measure in
            BarChart(categories: SanityCondition.randomised.map(\.title), groups: BackwardRule.allCases.map { rule in
                let summaries = SanityCondition.randomised.map { sanity.comparison($0, rule).values(measure) }.map(SimilaritySummary.init)
                return .init(name: rule.title, values: summaries.map(\.mean), spreads: summaries.map { $0.lowerQuartile...$0.upperQuartile })
            }, yLabel: measure == .spearman ? "Spearman (|values|)" : "SSIM", size: Size(463, 160),
                     spreadName: "interquartile range", y: AxisOptions(range: 0...1), legend: .hidden)
        }
        return Stack(charts, spacing: 6).withLegend(Legend(entries: charts[0].legendEntries))
    }
}

extension SanityCondition {
    /// How the figures name the condition.
    var title: String {
        switch self {
        case .trained: "trained"
        case .randomConv2: "conv2 random"
        case .randomConv1Conv2: "conv1+2 random"
        case .switchesOnly: "switches only"
        }
    }
}

extension BackwardRule {
    /// How the figures name the rule.
    var title: String { self == .guided ? "guided backprop." : rawValue }
}
