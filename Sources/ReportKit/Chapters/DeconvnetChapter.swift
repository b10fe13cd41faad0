import Charts
import Deconvnet
import Network

/// The chapter on how the deconvnet works, with unpooling shown on real numbers.
struct DeconvnetChapter: Chapter {
    /// How a layer's filter step undoes its convolution: the padding of the transposed
    /// convolution, K − 1 − P, and the sizes it maps between.
    struct Filter {
        let padding: Int
        let from: String, to: String
    }

    struct Context {
        let mode: String, modeName: String, modeSummary: String
        /// True when a digit had no correctly classified test image and its closest candidate is shown.
        let anyMisclassified: Bool
        let conv1: Filter, conv2: Filter
        let exampleDigit: Int, exampleMap: Int
        let exampleRows: String, exampleColumns: String
    }

    static let name = "deconvnet"
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let example = run.unpooling
        figures = [("unpooling_example", Self.unpooling(example))]
        func filter(_ conv: Conv2D) -> Filter {
            Filter(padding: conv.kernel - 1 - conv.padding, from: "\(conv.outputHeight)×\(conv.outputWidth)",
                   to: "\(conv.inputHeight)×\(conv.inputWidth)")
        }
        context = Context(
            mode: run.mode.rawValue, modeName: run.mode == .wholeMap ? "whole map" : "strongest activation",
            modeSummary: run.mode.summary,
            anyMisclassified: run.digits.contains { !$0.correct },
            conv1: filter(LeNet5.conv1), conv2: filter(LeNet5.conv2),
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
