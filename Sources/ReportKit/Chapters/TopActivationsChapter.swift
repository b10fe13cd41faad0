import Analyses
import Charts
import Deconvnet
import Graphics
import MNIST
import Network
import Writeup

/// The chapter on what each map responds to across the whole test set (Zeiler & Fergus, Fig. 2).
struct TopActivationsChapter: Chapter {
    /// A row of the selectivity table.
    struct LayerSummary {
        let name: String, field: Int
        /// How many different test images appear among the layer's best images.
        let distinctImages: Int, entries: Int
        /// The share of the layer's best images that carry their map's most common label, and
        /// what random sets of as many images reach (mean; 95th percentile of the mean over as
        /// many maps); the same over the longer ranking.
        let purity: String, chance: String, chanceUpper: String
        let rankedPurity: String, rankedChance: String, rankedChanceUpper: String
        let aboveChance: Bool
        /// Maps whose best images all carry one label.
        let pureMaps: Int, maps: Int
    }

    /// One figure: a layer's maps, or a part of them.
    struct Part {
        let fig: String, file: String
        let first: Bool
        /// "each conv1 map", "the sixteen conv2 maps", "conv2's maps 0–15 (of 64)".
        let what: String
        let field: Int
    }

    /// One map's most common place on the digit (`PeakParts`).
    struct PartRow {
        let layer: String, map: Int
        let part: String, share: String, layerShare: String
        let prefers: Bool
    }

    /// A layer's maps that look at one part of the digit, grouped by part ("the top (maps 3 and
    /// 7) and the lower left (map 12)"), and how many they are ("five", of "sixteen").
    struct PartLayer {
        let name: String, maps: String
        let preferring: String, onePreferring: Bool, anyPreferring: Bool
        let list: String
    }

    struct Context {
        /// Best images kept per map, and the test images ranked.
        let count: String, testImages: String
        /// "6×6 for a pool1 unit (*y*, *x*), rows … and columns …, and 16×16 for a pool2 unit, rows …".
        let fields: String
        /// "Figure 21 shows conv1's maps and Figure 22 conv2's".
        let figureText: String
        let parts: [Part]
        let layers: [LayerSummary]
        let first: LayerSummary, last: LayerSummary
        /// The longer ranking's length ("100"), how many random draws the yardstick takes, and the
        /// percentile of them a layer must exceed to be beyond chance ("95th").
        let ranked: String, draws: String, percentile: String
        /// Every layer, or none, above chance by both counts.
        let allAboveChance: Bool, noneAboveChance: Bool
        /// The last layer is above chance and above the first by both counts.
        let deepestMoreSelective: Bool
        /// Where the maps peak on the digit: every map, each layer's reading, the ink threshold
        /// and the two conditions for a map to look at one part ("50 %", "twice").
        let partRows: [PartRow], partLayers: [PartLayer]
        let partsInk: String, preferredFrom: String, overLayer: String
    }

    static let name = "top9"
    let tables = ["selectivity", "parts"]
    /// Maps per figure.
    static let mapsPerFigure = 16
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let top = run.analyses.top, test = run.data.test, network = run.network
        let shared = SharedContext.layers(network, digits: run.digits.count)
        var figures: [NamedFigure] = [], parts: [Part] = [], texts: [String] = []
        for (i, layer) in network.convolutionalLayers.enumerated() {
            let maps = top.maps(layer), count = (layer.maps + Self.mapsPerFigure - 1) / Self.mapsPerFigure
            var files: [String] = []
            for k in 0..<count {
                let range = (layer.maps * k / count)..<(layer.maps * (k + 1) / count)
                let file = "top9_\(layer.name)" + (count > 1 ? "_\(k + 1)" : "")
                let perRow = i == 0 && range.count <= 8 ? 3 : 4, cellSize = i == 0 && range.count <= 8 ? 22.0 : 16.0
                figures.append((file, Self.figure(Array(maps[range]), first: range.lowerBound, test: test, network: network,
                                                  perRow: perRow, cellSize: cellSize)))
                let what = count > 1 ? "\(layer.name)'s maps \(range.lowerBound)–\(range.upperBound - 1) (of \(layer.maps))"
                    : i == 0 ? "each \(layer.name) map" : "the \(Formatted.count(layer.maps)) \(layer.name) maps"
                parts.append(Part(fig: CrossReferences.placeholder(.figure, file), file: file, first: parts.isEmpty,
                                  what: parts.isEmpty && count > 1 ? "each of \(what)" : what, field: shared[i].field))
                files.append(file)
            }
            let refs = Formatted.figures(files)
            texts.append(i == 0 ? "\(refs) \(files.count == 1 ? "shows" : "show") \(layer.name)'s maps" : "\(refs) \(layer.name)'s")
        }
        self.figures = figures
        let findings = run.analyses.topFindings
        let percent = { (x: Double) in Formatted.percent(x, digits: 0) }
        let summaries = findings.layers.indices.map { i in
            let f = findings.layers[i], chance = findings.chance[i], ranked = findings.rankedChance[i]
            return LayerSummary(name: network.convolutionalLayers[i].name, field: shared[i].field,
                                distinctImages: f.distinctImages, entries: f.entries,
                                purity: percent(f.labelPurity), chance: percent(chance.mean), chanceUpper: percent(chance.upper),
                                rankedPurity: percent(f.rankedPurity), rankedChance: percent(ranked.mean),
                                rankedChanceUpper: percent(ranked.upper), aboveChance: findings.aboveChance(i),
                                pureMaps: f.pureMaps, maps: f.maps)
        }
        let fields = shared.enumerated().map { i, l in
            "\(l.field)×\(l.field) for \(l.unit)\(i == 0 ? " (*y*, *x*)," : ",") rows \(l.fieldRows) and columns \(l.fieldColumns)"
        }
        let peaks = run.analyses.parts.maps
        let partRows = peaks.map { m in
            PartRow(layer: m.layer.name, map: m.map, part: m.part, share: percent(m.share), layerShare: percent(m.layerShare),
                    prefers: m.prefersAPart)
        }
        let partLayers = network.convolutionalLayers.map { layer -> PartLayer in
            let preferring = peaks.filter { $0.layer == layer && $0.prefersAPart }
            let groups = PeakParts.cells.indices.compactMap { cell -> String? in
                let maps = preferring.filter { $0.cell == cell }.map { String($0.map) }
                return maps.isEmpty ? nil : "the \(PeakParts.cells[cell]) (map\(maps.count == 1 ? "" : "s") \(Formatted.list(maps)))"
            }
            return PartLayer(name: layer.name, maps: Formatted.count(layer.maps), preferring: Formatted.count(preferring.count),
                             onePreferring: preferring.count == 1, anyPreferring: !preferring.isEmpty, list: Formatted.list(groups))
        }
        context = Context(count: Formatted.count(top.layers.first?.first?.count ?? 0), testImages: Formatted.integer(test.count),
                          fields: fields.count <= 2 ? fields.joined(separator: ", and ")
                              : fields.dropLast().joined(separator: ", ") + ", and " + fields.last!,
                          figureText: Formatted.list(texts), parts: parts,
                          layers: summaries, first: summaries.first!, last: summaries.last!,
                          ranked: "\(TopActivations.rankedCount)", draws: Formatted.integer(TopActivations.ChancePurity.draws),
                          percentile: "\(TopActivations.ChancePurity.percentile)th",
                          allAboveChance: findings.layers.indices.allSatisfy(findings.aboveChance),
                          noneAboveChance: !findings.layers.indices.contains(where: findings.aboveChance),
                          deepestMoreSelective: findings.deepestMoreSelective,
                          partRows: partRows, partLayers: partLayers, partsInk: Formatted.decimal(Double(Occlusion.Findings.ink), 1),
                          preferredFrom: percent(PeakParts.preferredFrom),
                          overLayer: PeakParts.overLayer == 2 ? "twice" : "\(PeakParts.overLayer) times")
    }

    /// Each map as a 3 × 3 block of its nine strongest activations, best first: the projection
    /// beside the input pixels it sees, the activation under them; `perRow` maps side by side,
    /// lined up in a grid.
    static func figure(_ maps: [[ProjectedActivation]], first: Int, test: Dataset, network: Network, perRow: Int, cellSize: Double) -> Keyed {
        let blocks: [any Figure] = maps.enumerated().map { k, best in
            let cells = best.map { p in
                ImageGrid.Cell(image: .projectionCrop(p, network: network), label: Formatted.decimal(Double(p.score), 2),
                               companion: .inputCrop(p, image: test.images([p.testIndex]), network: network))
            }
            return ImageGrid(cells: cells, columns: 3, cellSize: cellSize, gap: 3, title: "map \(first + k)")
        }
        return Grid(blocks, columns: perRow, spacing: Size(10, 8))
            .withColorBar(.perPanel(label: "each projection on its own scale (±L); input patches ink on paper"), side: .bottom)
    }
}
