import Analyses
import Charts
import Deconvnet
import Network
import Graphics
import Writeup
import Network

/// The chapter on the deconvnet beside the two other ways of passing a ReLU backwards.
struct RulesChapter: Chapter {
    struct DigitContext {
        let digit: Int
        let fig: String, file: String
    }

    struct Context {
        let digits: [DigitContext]
        /// References to the figures, for the text.
        let figures: String
        /// conv1 projections identical under all three rules, of all conv1 projections.
        let conv1Identical: Int, conv1Total: Int
        let conv1AllIdentical: Bool
        /// Mean Spearman correlation of the absolute conv2 projections between two rules, and
        /// the number of digit-map pairs it is over.
        let gradientDeconvnet: String, guidedDeconvnet: String, gradientGuided: String
        let conv2Pairs: Int
        let guidedCloserToDeconvnet: Bool
    }

    static let name = "rules"
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let rules = run.analyses.sanity.rules, findings = rules.findings
        figures = run.digits.enumerated().map { i, d in ("rules_digit\(d.digit)", Self.figure(rules, image: i, input: d.input)) }
        context = Context(
            digits: run.digits.map { DigitContext(digit: $0.digit, fig: CrossReferences.placeholder(.figure, "rules_digit\($0.digit)"),
                                                  file: "rules_digit\($0.digit)") },
            figures: Formatted.figures(run.digits.map { "rules_digit\($0.digit)" }),
            conv1Identical: findings.conv1Identical, conv1Total: findings.conv1Total, conv1AllIdentical: findings.conv1AllIdentical,
            gradientDeconvnet: Formatted.decimal(findings.gradientDeconvnet, 2), guidedDeconvnet: Formatted.decimal(findings.guidedDeconvnet, 2),
            gradientGuided: Formatted.decimal(findings.gradientGuided, 2), conv2Pairs: findings.conv2Pairs,
            guidedCloserToDeconvnet: findings.guidedCloserToDeconvnet)
    }

    /// A row per rule: the input, then conv1's 6 and conv2's 16 projections.
    static func figure(_ rules: BackwardRuleProjections, image i: Int, input: [Float]) -> Keyed {
        ImageGrid.mapRows(BackwardRule.allCases.map { rule in
            (rule.title, input, ConvLayer.allMaps.map { rules.projection(rule, image: i, layer: $0.layer, map: $0.map) })
        })
    }
}
