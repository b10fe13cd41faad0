import Analyses
import Charts
import Deconvnet
import Graphics
import Writeup

/// Section 13: the deconvnet beside the two other ways of passing a ReLU backwards.
struct RulesChapter: Chapter {
    struct DigitContext {
        let digit: Int
        let fig: String, file: String
    }

    struct Context {
        let digits: [DigitContext]
        /// conv1 projections identical under all three rules, of all conv1 projections.
        let conv1Identical: Int, conv1Total: Int
        let conv1AllIdentical: Bool
        /// Mean Spearman correlation of the absolute conv2 projections between two rules.
        let gradientDeconvnet: String, guidedDeconvnet: String, gradientGuided: String
        let guidedCloserToDeconvnet: Bool
    }

    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let rules = run.analyses.sanity.rules
        figures = run.digits.enumerated().map { i, d in ("rules_digit\(d.digit)", Self.figure(rules, image: i, input: d.input)) }
        let conv1 = run.digits.indices.flatMap { i in
            (0..<ConvLayer.conv1.maps).map { m in
                Set(BackwardRule.allCases.map { rules.projection($0, image: i, layer: .conv1, map: m) }).count == 1
            }
        }
        func agreement(_ a: BackwardRule, _ b: BackwardRule) -> Double {
            let values = run.digits.indices.flatMap { i in
                (0..<ConvLayer.conv2.maps).map { m in
                    Spearman.correlation(rules.projection(a, image: i, layer: .conv2, map: m).map(abs),
                                         rules.projection(b, image: i, layer: .conv2, map: m).map(abs))
                }
            }
            return SimilaritySummary(values).mean
        }
        let (gd, ud, gu) = (agreement(.gradient, .deconvnet), agreement(.guided, .deconvnet), agreement(.gradient, .guided))
        context = Context(
            digits: run.digits.map { DigitContext(digit: $0.digit, fig: CrossReferences.placeholder(.figure, "rules_digit\($0.digit)"),
                                                  file: "rules_digit\($0.digit)") },
            conv1Identical: conv1.filter { $0 }.count, conv1Total: conv1.count, conv1AllIdentical: conv1.allSatisfy { $0 },
            gradientDeconvnet: Formatted.decimal(gd, 2), guidedDeconvnet: Formatted.decimal(ud, 2), gradientGuided: Formatted.decimal(gu, 2),
            guidedCloserToDeconvnet: ud > gu)
    }

    /// A row per rule: the input, then conv1's 6 and conv2's 16 projections.
    static func figure(_ rules: BackwardRuleProjections, image i: Int, input: [Float]) -> ImageGrid {
        let cells = BackwardRule.allCases.flatMap { rule in
            [ImageGrid.Cell(image: .digit(input))] + ConvLayer.allMaps.map { ImageGrid.Cell(image: .reconstruction(rules.projection(rule, image: i, layer: $0.layer, map: $0.map))) }
        }
        let columns = ["in"] + (0..<6).map { "1·\($0)" } + (0..<16).map { "2·\($0)" }
        return ImageGrid(cells: cells, columns: 23, cellSize: 17, gap: 2.5, rowLabels: BackwardRule.allCases.map(\.rawValue),
                         columnLabels: columns, labelFont: .sans(5.5))
    }
}
