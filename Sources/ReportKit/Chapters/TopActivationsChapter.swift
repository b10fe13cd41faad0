import Analyses
import Charts
import Deconvnet
import Graphics
import MNIST

/// The chapter on what each map responds to across the whole test set (Zeiler & Fergus, Fig. 2).
struct TopActivationsChapter: Chapter {
    struct LayerSummary {
        /// How many different test images appear among the layer's best images.
        let distinctImages: Int, entries: Int
        /// The share of the layer's best images that carry their map's most common label.
        let labelPurity: String
        /// Maps whose best images all carry one label.
        let pureMaps: Int, maps: Int
        let purityIsHigh: Bool
        /// The receptive field's side in pixels, and the rows and columns it spans for unit (y, x).
        let field: Int, fieldRows: String, fieldColumns: String
    }

    struct Context {
        /// Best images kept per map, and the test images ranked.
        let count: String, testImages: String
        let conv1: LayerSummary, conv2: LayerSummary
        /// conv2's purity above conv1's: the deeper maps are more selective for digits.
        let conv2MoreSelective: Bool
    }

    static let name = "top9"
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let top = run.analyses.top, test = run.data.test
        figures = [("top9_conv1", Self.figure(top.conv1, test: test, perRow: 3)),
                   ("top9_conv2", Self.figure(top.conv2, test: test, perRow: 4))]
        let findings = top.findings(labels: test.labels)
        func summary(_ layer: ConvLayer, _ f: TopActivations.LayerFindings) -> LayerSummary {
            // The field of unit (y, x) starts at a·y + b: read a and b off units 0 and 1.
            let (first, second) = (ReceptiveField.unclipped(layer, y: 0, x: 0).rows, ReceptiveField.unclipped(layer, y: 1, x: 0).rows)
            let step = second.lowerBound - first.lowerBound
            func span(_ v: String) -> String {
                func offset(_ n: Int) -> String { n < 0 ? " − \(-n)" : " + \(n)" }
                return "\(step)*\(v)*\(offset(first.lowerBound)) … \(step)*\(v)*\(offset(first.upperBound))"
            }
            return LayerSummary(distinctImages: f.distinctImages, entries: f.entries, labelPurity: Formatted.percent(f.labelPurity, digits: 0),
                                pureMaps: f.pureMaps, maps: f.maps, purityIsHigh: f.purityIsHigh, field: first.count,
                                fieldRows: span("y"), fieldColumns: span("x"))
        }
        context = Context(count: Formatted.count(top.conv1.first?.count ?? 0), testImages: Formatted.integer(test.count),
                          conv1: summary(.conv1, findings.conv1), conv2: summary(.conv2, findings.conv2),
                          conv2MoreSelective: findings.conv2MoreSelective)
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
