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
        figures = [("top9_conv1", Self.figure(top.conv1, test: test, perRow: 3, cellSize: 22)),
                   ("top9_conv2", Self.figure(top.conv2, test: test, perRow: 4, cellSize: 16))]
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

    /// Each map as a 3 × 3 block of its nine strongest activations, best first: the projection
    /// beside the input pixels it sees, the activation under them; `perRow` maps side by side,
    /// lined up in a grid.
    static func figure(_ maps: [[ProjectedActivation]], test: Dataset, perRow: Int, cellSize: Double) -> Keyed {
        let blocks: [any Figure] = maps.enumerated().map { map, best in
            let cells = best.map { p in
                ImageGrid.Cell(image: .projectionCrop(p), label: Formatted.decimal(Double(p.score), 2),
                               companion: .inputCrop(p, image: test.images([p.testIndex])))
            }
            return ImageGrid(cells: cells, columns: 3, cellSize: cellSize, gap: 3, title: "map \(map)")
        }
        return Grid(blocks, columns: perRow, spacing: Size(10, 8))
            .withColorBar(.perPanel(label: "each projection on its own scale (±L); input patches ink on paper"), side: .bottom)
    }
}
