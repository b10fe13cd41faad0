import Charts
import Deconvnet
import Graphics
import Network
import Writeup

/// The chapter on the reconstructions of every map of every convolutional layer for each report
/// digit, with its block outputs.
struct ReconstructionsChapter: Chapter {
    /// One figure of a digit's reconstructions: all of them, or one layer's (part).
    struct Part {
        let fig: String, file: String
        let count: Int
        /// "" for all of them; otherwise " of conv1's maps", " of conv2's maps 0–31".
        let of: String
    }

    struct DigitContext {
        let position: Int
        /// Whether this is the first digit, whose features caption the others refer to.
        let first: Bool
        let digit: Int, testIndex: Int, predicted: Int
        /// True when no test image of the digit is classified correctly and this is the closest candidate.
        let misclassified: Bool
        let probability: String
        let figFeatures: String, featuresFile: String
        /// The reconstructions' figures, and references to them for the text.
        let reconstructionFigures: [Part]
        let figReconstructions: String
        /// "the six pool1 maps (14×14) and the sixteen pool2 maps (5×5)".
        let outputs: String
        /// The largest activation of each layer for this image: "2.82 and 6.38".
        let maxima: String
    }

    /// A digit's row of the table of responses: per layer the two maps that respond most, with
    /// their totals, and the silent maps.
    struct ResponseRow {
        let digit: Int, testIndex: Int, predicted: Int
        let strongest: [Cell]
        let silent: String
    }

    struct Cell {
        let value: String
    }

    /// How far a layer's pictures of the compared digit spread in each mode: the mean share of
    /// the image's pixels a map's picture is non-zero on, over its non-silent maps; and the share
    /// a unit's receptive field covers.
    struct Spread {
        let name: String, whole: String, strongest: String, field: Int, fieldShare: String
    }

    struct Context {
        let digits: [DigitContext]
        let overview: [FigureReference]
        /// "Figure 12 shows", "Figure 12 and Figure 13 show".
        let overviewReferences: String
        /// "its pooled maps" or "its feature maps".
        let featureMaps: String
        /// The first digit's features figure, to which the others' captions refer.
        let firstFeatures: String
        let layerNames: [Cell], responses: [ResponseRow], activation: String
        /// The two modes side by side for the first digit, and how far their pictures spread.
        let modes: [FigureReference], modesDigit: Int, modesIndex: Int
        let spreads: [Spread]
        /// Whether every layer's whole-map pictures spread over more of the image than its strongest-unit ones.
        let wholeWider: Bool
    }

    static let name = "reconstructions"
    let figures: [NamedFigure]
    let tables = ["responses"]
    let context: Context

    init(_ run: RunResults) {
        // The overview's rows hold 16 maps of a large layer each, a digit's grid of reconstructions 32.
        let network = run.network, parts = MapPart.parts(network), digitParts = MapPart.parts(network, chunk: 32)
        let overview = parts.map { part in
            ("reconstructions_overview\(part.suffix)", Self.overview(run.digits, part: part)) as NamedFigure
        }
        // The first digit in both modes, the run's and the other, computed again from its pass.
        let compared = run.digits[0], deconvnet = Deconvnet(network: network)
        let whole = run.mode == .wholeMap ? compared.maps : compared.maps(in: .wholeMap, deconvnet: deconvnet)
        let strongest = run.mode == .strongest ? compared.maps : compared.maps(in: .strongest, deconvnet: deconvnet)
        let modes = parts.map { part -> NamedFigure in
            let rows = [("whole map", whole), ("strongest unit", strongest)].map { label, maps in
                (label, compared.input, part.maps.map { maps[$0.layer.number - 1][$0.map] })
            }
            return ("reconstruction_modes\(part.suffix)", ImageGrid.mapRows(rows, maps: part.maps))
        }
        figures = overview + run.digits.flatMap { d in
            [("digit\(d.digit)_features", Self.features(d, network: network))]
                + digitParts.map { ("digit\(d.digit)_reconstructions\($0.suffix)", Self.reconstructions(d, part: $0)) as NamedFigure }
        } + modes
        let layers = network.convolutionalLayers, shared = SharedContext.layers(network, digits: run.digits.count)
        let spreads = layers.map { layer in
            (whole: Self.meanSupport(whole[layer.number - 1]), strongest: Self.meanSupport(strongest[layer.number - 1]))
        }
        let percent = { (x: Double) in Formatted.percent(x, digits: 0) }
        let outputs = Formatted.list(SharedContext.layers(network, digits: run.digits.count).map { "the \($0.mapsWord) \($0.mapsPhrase)" })
        context = Context(
            digits: run.digits.enumerated().map { position, d in
                let features = "digit\(d.digit)_features"
                let figures = digitParts.map { part in
                    Part(fig: CrossReferences.placeholder(.figure, "digit\(d.digit)_reconstructions\(part.suffix)"),
                         file: "digit\(d.digit)_reconstructions\(part.suffix)", count: part.maps.count,
                         of: part.whole ? "" : " of \(part.of)")
                }
                return DigitContext(
                    position: position + 1, first: position == 0, digit: d.digit, testIndex: d.testIndex, predicted: d.predicted,
                    misclassified: !d.correct, probability: Formatted.percent(Double(d.probability)),
                    figFeatures: CrossReferences.placeholder(.figure, features), featuresFile: features,
                    reconstructionFigures: figures, figReconstructions: Formatted.figures(figures.map(\.file)),
                    outputs: outputs,
                    maxima: Formatted.list(layers.map { Formatted.decimal(Double(d.output($0).max() ?? 0), 2) }))
            },
            overview: parts.map { FigureReference("reconstructions_overview\($0.suffix)", part: $0) },
            overviewReferences: Formatted.figures(parts.map { "reconstructions_overview\($0.suffix)" }) + (parts.count == 1 ? " shows" : " show"),
            featureMaps: layers.allSatisfy { SharedContext.pooled($0, in: network) } ? "its pooled maps" : "its feature maps",
            firstFeatures: CrossReferences.placeholder(.figure, "digit\(run.digits[0].digit)_features"),
            layerNames: layers.map { Cell(value: $0.name) },
            responses: run.digits.map { d in
                let responses = layers.map { d.response($0) }
                let silent = responses.filter { !$0.silent.isEmpty }
                return ResponseRow(
                    digit: d.digit, testIndex: d.testIndex, predicted: d.predicted,
                    strongest: responses.map { r in
                        Cell(value: r.ranked.prefix(2).map { "\($0) (\(Formatted.decimal(Double(r.totals[$0]), 1)))" }
                                .joined(separator: ", "))
                    },
                    silent: silent.isEmpty ? "none" : silent.map { "\($0.layer.name): \(Formatted.list($0.silent.map(String.init)))" }
                        .joined(separator: "; "))
            },
            activation: layers.allSatisfy { SharedContext.pooled($0, in: network) } ? "total pooled activation" : "total activation",
            modes: parts.map { FigureReference("reconstruction_modes\($0.suffix)", part: $0) },
            modesDigit: compared.digit, modesIndex: compared.testIndex,
            spreads: zip(shared, spreads).map { layer, spread in
                Spread(name: layer.name, whole: percent(spread.whole), strongest: percent(spread.strongest), field: layer.field,
                       fieldShare: percent(Double(layer.field * layer.field) / Double(network.inputCount)))
            },
            wholeWider: spreads.allSatisfy { $0.whole > $0.strongest })
    }

    /// The mean share of pixels on which a layer's pictures are non-zero, over the maps that are not silent.
    static func meanSupport(_ pictures: [[Float]]) -> Double {
        let shares = pictures.map { p in Double(p.filter { $0 != 0 }.count) / Double(p.count) }.filter { $0 > 0 }
        return shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count)
    }

    static func overview(_ digits: [DigitReconstruction], part: MapPart) -> Keyed {
        ImageGrid.mapRows(digits.map { d in ("digit \(d.digit)", d.input, part.maps.map { d.reconstructions($0.layer)[$0.map] }) },
                          maps: part.maps)
    }

    /// The input and every layer's block output, a grid per layer on its own viridis scale.
    static func features(_ d: DigitReconstruction, network: Network) -> Stack {
        let grids = network.convolutionalLayers.map { layer -> any Figure in
            let output = d.output(layer), (h, w) = (layer.outputShape[1], layer.outputShape[2]), plane = layer.mapPlane
            let name = SharedContext.outputName(layer, in: network)
            let map = Colormap.viridis(minimum: 0, maximum: output.max() ?? 1)
            let many = layer.maps > 16
            let input = layer.number == 1 ? [ImageGrid.Cell(image: .digit(d.input), label: "input")] : []
            let cells = input + (0..<layer.maps).map { m in
                ImageGrid.Cell(image: map.image(width: w, height: h, values: Array(output[(m * plane)..<((m + 1) * plane)])),
                               label: many ? "\(m)" : "\(name) · \(m)")
            }
            let grid: ImageGrid
            if layer.number == 1 && cells.count <= 8 {
                grid = ImageGrid(cells: cells, columns: cells.count, cellSize: 50, gap: 8)
            } else if !many {
                grid = ImageGrid(cells: cells, columns: 8, cellSize: 42, gap: 8)
            } else {
                grid = ImageGrid(cells: cells, columns: 16, cellSize: 24, gap: 4, title: "\(name), maps 0–\(layer.maps - 1)")
                    .fitting(PrintArea(width: PrintArea.column.width - 70, maxHeight: 230))
            }
            return grid.withColorBar(ColorBar(map, label: "\(name) activation"))
        }
        return Stack(grids)
    }

    /// The reconstructions of a part's maps, each labelled with its layer and map, with its own limit.
    static func reconstructions(_ d: DigitReconstruction, part: MapPart) -> Keyed {
        let layers = part.maps.reduce(into: [ConvolutionalLayer]()) { if $0.last != $1.layer { $0.append($1.layer) } }
        let grids = layers.map { layer -> any Figure in
            let maps = part.maps.filter { $0.layer == layer }.map(\.map)
            let cells = maps.map { m in
                let image = d.reconstructions(layer)[m]
                return ImageGrid.Cell(image: .reconstruction(image), label: "\(layer.name) · \(m)", note: ImageGrid.limitNote(image))
            }
            if maps.count <= 6 { return ImageGrid(cells: cells, columns: maps.count, cellSize: 60, gap: 10) }
            if maps.count <= 16 { return ImageGrid(cells: cells, columns: 8, cellSize: 48, gap: 8) }
            return ImageGrid(cells: cells, columns: 8, cellSize: 44, gap: 8).fitting(PrintArea(width: PrintArea.column.width, maxHeight: 470))
        }
        return Stack(grids).withColorBar(.perPanel(label: "each panel on its own scale, ±L under it"), side: .bottom)
    }
}
