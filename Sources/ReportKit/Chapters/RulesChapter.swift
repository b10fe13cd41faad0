import Analyses
import Charts
import Deconvnet
import Network
import Graphics
import Writeup

/// The chapter on the deconvnet beside the two other ways of passing a ReLU backwards.
struct RulesChapter: Chapter {
    struct DigitContext {
        let digit: Int
        let figures: [FigureReference]
    }

    struct Context {
        let digits: [DigitContext]
        /// References to the figures, for the text.
        let figures: String
        /// The first layer's projections identical under all three rules, of all of them.
        let firstIdentical: Int, firstTotal: Int
        let firstAllIdentical: Bool
        /// Mean Spearman correlation of the last layer's absolute projections between two rules,
        /// and the number of digit-map pairs it is over.
        let gradientDeconvnet: String, guidedDeconvnet: String, gradientGuided: String
        let lastPairs: Int
        let guidedCloserToDeconvnet: Bool
        /// "2 under the gradient, 0 under …": blank pictures per rule, of how many; whether any.
        let blank: String, pictures: Int, anyBlank: Bool
        /// Seeds are whole maps (else single units).
        let wholeMap: Bool
        /// Every convolutional block below the top one ends in a ReLU followed directly by a
        /// max-pool (LeNet-5's), which makes guided backpropagation pass what the deconvnet does.
        let reluBeforeMaxPool: Bool
    }

    static let name = "rules"
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let rules = run.analyses.sanity.rules, findings = rules.findings, parts = MapPart.parts(run.network)
        figures = run.digits.enumerated().flatMap { i, d in
            parts.map { ("rules_digit\(d.digit)\($0.suffix)", Self.figure(rules, image: i, input: d.input, part: $0)) as NamedFigure }
        }
        let digits = run.digits.map { d in
            DigitContext(digit: d.digit, figures: parts.map { FigureReference("rules_digit\(d.digit)\($0.suffix)", part: $0) })
        }
        context = Context(
            digits: digits,
            figures: Formatted.figures(digits.flatMap { $0.figures.map(\.file) }),
            firstIdentical: findings.identical[0], firstTotal: findings.totals[0], firstAllIdentical: findings.firstLayerAllIdentical,
            gradientDeconvnet: Formatted.decimal(findings.gradientDeconvnet.last!, 2), guidedDeconvnet: Formatted.decimal(findings.guidedDeconvnet.last!, 2),
            gradientGuided: Formatted.decimal(findings.gradientGuided.last!, 2), lastPairs: findings.pairs.last!,
            guidedCloserToDeconvnet: findings.guidedCloserToDeconvnet,
            blank: Formatted.list(BackwardRule.allCases.map { "\(findings.blank[$0] ?? 0) under \($0 == .guided ? "guided backpropagation" : "the " + $0.rawValue)" }),
            pictures: findings.totals.reduce(0, +), anyBlank: findings.blank.values.contains { $0 > 0 },
            wholeMap: run.mode == .wholeMap,
            reluBeforeMaxPool: Self.reluBeforeMaxPool(run.network))
    }

    static func reluBeforeMaxPool(_ network: Network) -> Bool {
        let below = network.convolutionalLayers.dropLast()
        return !below.isEmpty && below.allSatisfy { layer in
            guard case .maxPool = network.layers[layer.outputLayer], case .relu = network.layers[layer.outputLayer - 1] else { return false }
            return true
        }
    }

    /// A row per rule: the input, then the part's projections.
    static func figure(_ rules: BackwardRuleProjections, image i: Int, input: [Float], part: MapPart) -> Keyed {
        ImageGrid.mapRows(BackwardRule.allCases.map { rule in
            (rule.title, input, part.maps.map { rules.projection(rule, image: i, layer: $0.layer, map: $0.map) })
        }, maps: part.maps)
    }
}
