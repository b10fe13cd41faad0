import Charts
import Deconvnet
import Network

/// The chapter on how the deconvnet works, with unpooling shown on real numbers when the network
/// has a max-pooling to show it on.
struct DeconvnetChapter: Chapter {
    /// The unpooling example: the layer and map it comes from, the patch's side and place.
    struct Example {
        let digit: Int, layer: String, map: Int
        let side: Int, window: Int
        let rows: String, columns: String
    }

    struct Context {
        let mode: String, modeName: String, modeSummary: String
        /// True when a digit had no correctly classified test image and its closest candidate is shown.
        let anyMisclassified: Bool
        /// "2 for conv1, mapping 28×28 back to 28×28; 4 for conv2, mapping 10×10 back to 14×14":
        /// each layer's transposed-convolution padding, K − 1 − P, and the sizes it maps between.
        let paddings: String
        /// The first max-pooling's window ("2×2"), and what the forward pass keeps of the poolings.
        let window: String
        let keeps: String
        /// " and, for conv2, on through conv1's deconvnet layer without zeroing anything": how a deeper
        /// layer's projection goes on down; empty for a network of one convolutional layer.
        let below: String
        /// "both layers'" or "every layer's".
        let layersShapes: String
        /// nil when the network has no max-pooling whose windows tile its input.
        let example: Example?
    }

    static let name = "deconvnet"
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let network = run.network, layers = network.convolutionalLayers
        figures = run.unpooling.map { [("unpooling_example", Self.unpooling($0))] } ?? []
        let paddings = layers.map { layer -> String in
            let c = layer.convolution
            return "\(c.kernel - 1 - c.padding) for \(layer.name), mapping \(c.outputHeight)×\(c.outputWidth) back to \(c.inputHeight)×\(c.inputWidth)"
        }
        let pools = network.layers.compactMap { layer -> Pooling? in if case .maxPool(let p) = layer { p } else { nil } }
        let names = layers.map(\.name)
        let below = switch layers.count {
        case 1: ""
        case 2: " and, for \(names[1]), on through \(names[0])'s deconvnet layer without zeroing anything"
        default: " and, for \(names[1]) to \(names.last!), on through the deconvnet layers below without zeroing anything"
        }
        context = Context(
            mode: run.mode.rawValue, modeName: run.mode == .wholeMap ? "whole map" : "strongest activation",
            modeSummary: run.mode.summary,
            anyMisclassified: run.digits.contains { !$0.correct },
            paddings: paddings.joined(separator: "; "),
            window: pools.first.map { "\($0.kernel)×\($0.kernel)" } ?? "pooling",
            keeps: pools.count == 2 ? "both max-pool outputs and their switches"
                : pools.count == 1 ? "its max-pool output and switches" : "every max-pool output and its switches",
            below: below,
            layersShapes: layers.count == 1 ? "the layer's" : layers.count == 2 ? "both layers'" : "every layer's",
            example: run.unpooling.map { e in
                Example(digit: e.digit, layer: e.layer.name, map: e.map, side: e.side, window: e.side / 2,
                        rows: "\(e.top)–\(e.top + e.side - 1)", columns: "\(e.left)–\(e.left + e.side - 1)")
            })
    }

    static func unpooling(_ e: UnpoolingExample) -> NumberGrids {
        let window = e.side / 2
        return NumberGrids(panels: [
            .init(title: "\(e.layer.name) map \(e.map) after ReLU", rows: e.side, columns: e.side, values: e.patch, highlighted: e.switches,
                  windowSize: window),
            .init(title: "pooled (\(window)×\(window) max)", rows: 2, columns: 2, values: e.pooled, highlighted: Set(0..<4)),
            .init(title: "unpooled with the switches", rows: e.side, columns: e.side, values: e.unpooled, highlighted: e.switches,
                  windowSize: window),
        ], arrows: ["max-pool", "unpool"])
    }
}
