import Charts
import Deconvnet

/// Section 7: how the deconvnet works, with unpooling shown on real numbers.
struct DeconvnetChapter: Chapter {
    struct Context {
        let mode: String, modeName: String, modeSummary: String
        let digitList: String
        /// True when a digit had no correctly classified test image and its closest candidate is shown.
        let anyMisclassified: Bool
        let exampleDigit: Int, exampleMap: Int
        let exampleRows: String, exampleColumns: String
    }

    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let example = run.unpooling
        figures = [("unpooling_example", Self.unpooling(example))]
        context = Context(
            mode: run.mode.rawValue, modeName: run.mode == .wholeMap ? "whole map" : "strongest activation",
            modeSummary: run.mode.summary,
            digitList: run.digits.map { "\($0.digit)" }.joined(separator: ", "),
            anyMisclassified: run.digits.contains { !$0.correct },
            exampleDigit: example.digit, exampleMap: example.map,
            exampleRows: "\(example.top)–\(example.top + 3)", exampleColumns: "\(example.left)–\(example.left + 3)")
    }

    static func unpooling(_ e: UnpoolingExample) -> NumberGrids {
        NumberGrids(panels: [
            .init(title: "conv1 map \(e.map) after ReLU", rows: 4, columns: 4, values: e.patch, highlighted: e.switches, windowSize: 2),
            .init(title: "pooled (2×2 max)", rows: 2, columns: 2, values: e.pooled, highlighted: Set(0..<4)),
            .init(title: "unpooled with the switches", rows: 4, columns: 4, values: e.unpooled, highlighted: e.switches, windowSize: 2),
        ], arrows: ["max-pool", "unpool"])
    }
}
