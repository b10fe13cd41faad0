import Analyses
import Charts
import Deconvnet
import Graphics
import MNIST

/// Section 9: what each map responds to across the whole test set (Zeiler & Fergus, Fig. 2).
struct TopActivationsChapter: Chapter {
    struct LayerSummary {
        let layer: String
        /// How many different test images appear among the layer's top-9 lists.
        let distinctImages: Int, entries: Int
        /// The share of the layer's top-9 images that carry the map's most common label.
        let labelPurity: String
        /// Maps whose nine images all carry one label.
        let pureMaps: Int, maps: Int
        let purityIsHigh: Bool
    }

    struct Context {
        let conv1: LayerSummary, conv2: LayerSummary
        /// conv2's purity above conv1's: the deeper maps are more selective for digits.
        let conv2MoreSelective: Bool
    }

    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let top = run.analyses.top, test = run.data.test
        figures = [("top9_conv1", Self.figure(top.conv1, test: test, perRow: 3)),
                   ("top9_conv2", Self.figure(top.conv2, test: test, perRow: 4))]
        let conv1 = Self.summary(.conv1, top.conv1, labels: test.labels), conv2 = Self.summary(.conv2, top.conv2, labels: test.labels)
        context = Context(conv1: conv1.context, conv2: conv2.context, conv2MoreSelective: conv2.purity > conv1.purity)
    }

    static func summary(_ layer: ConvLayer, _ maps: [[ProjectedActivation]], labels: [UInt8]) -> (context: LayerSummary, purity: Double) {
        let entries = maps.flatMap { $0 }
        let majority = maps.map { best -> Int in
            let counts = Dictionary(best.map { (labels[$0.testIndex], 1) }, uniquingKeysWith: +)
            return counts.values.max() ?? 0
        }
        let purity = Double(majority.reduce(0, +)) / Double(max(entries.count, 1))
        return (LayerSummary(layer: layer.rawValue, distinctImages: Set(entries.map(\.testIndex)).count, entries: entries.count,
                             labelPurity: Formatted.percent(purity, digits: 0), pureMaps: zip(majority, maps).filter { $0 == $1.count }.count,
                             maps: maps.count, purityIsHigh: purity >= 0.75), purity)
    }

    /// Each map as two 3 × 3 blocks, the projections of the nine strongest activations and the
    /// input pixels they see, `perRow` maps side by side.
    static func figure(_ maps: [[ProjectedActivation]], test: Dataset, perRow: Int) -> Stack {
        let blocks: [any Figure] = maps.enumerated().map { map, best in
            let projections = best.map { ImageGrid.Cell(image: .projectionCrop($0)) }
            let inputs = best.map { ImageGrid.Cell(image: .inputCrop($0, image: test.images([$0.testIndex]))) }
            return Row([ImageGrid(cells: projections, columns: 3, cellSize: 16, gap: 1.5, columnLabels: ["map \(map)", "", ""]),
                        ImageGrid(cells: inputs, columns: 3, cellSize: 16, gap: 1.5, columnLabels: ["", "", ""])], spacing: 3)
        }
        let rows = stride(from: 0, to: blocks.count, by: perRow).map { Row(Array(blocks[$0..<min($0 + perRow, blocks.count)]), spacing: 14) }
        return Stack(rows, spacing: 8)
    }
}
