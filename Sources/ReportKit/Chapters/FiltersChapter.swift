import Analyses
import Charts
import Graphics
import Network
import Writeup

/// The chapter on the learned filters of every convolutional layer: the first layer's as images,
/// each deeper layer's slices in figures of at most `inputsPerFigure` input maps (half as many
/// past 16 output maps) by `outputsPerFigure` output maps.
struct FiltersChapter: Chapter {
    /// One deeper layer: its figures, and its weights' colour limit.
    struct Deeper {
        let name: String, source: String
        let maps: Int, mapsWord: String, inputMaps: Int, inputMapsWord: String
        let kernel: String
        let limit: String
        let figures: [Part]
        let oneFigure: Bool
        /// "Figure 10" or "Figure 10 to …" references for the text.
        let references: String
    }

    /// One figure of a deeper layer's slices.
    struct Part {
        let fig: String, file: String
        /// Whether it shows every slice; otherwise which inputs and outputs ("conv1 maps 0–15 (of 32), …").
        let whole: Bool
        let inputs: String, outputs: String
    }

    /// A first-layer filter's orientation: its angle on the page, coherence, and the nearest name.
    struct Orientation {
        let map: Int, angle: String, coherence: String, reading: String
    }

    struct Context {
        /// The first layer: its figure's name and reference, its colour limit.
        let firstFile: String, firstFig: String
        let firstLimit: String
        /// Its filters' orientations; how many are oriented ("four", of "six"), and those listed by
        /// direction ("horizontal (map 0) and vertical (maps 3 and 4)"); the coherence from which a
        /// filter counts as oriented.
        let orientations: [Orientation]
        let oriented: String, oneOriented: Bool, orientedList: String, anyOriented: Bool, allOriented: Bool, orientedFrom: String
        /// False for 1×1 filters, which have no direction.
        let measured: Bool
        let deeper: [Deeper]
        /// "Figure 10" or "Figure 10, Figure 11 and Figure 12": every deeper layer's figures.
        let deeperReferences: String
        /// "conv2's", "conv2's and conv3's".
        let deeperNames: String
    }

    static let name = "filters"
    static let inputsPerFigure = 16, outputsPerFigure = 64
    let figures: [NamedFigure]
    let tables: [String]
    let context: Context

    init(_ run: RunResults) {
        let network = run.network, layers = network.convolutionalLayers
        let first = layers[0]
        var figures: [NamedFigure] = [("\(first.name)_filters", Self.firstFilters(network, first))]
        var deeper: [Deeper] = []
        for (i, layer) in layers.enumerated().dropFirst() {
            let source = layers[i - 1].name
            let parts = Self.parts(layer)
            var refs: [Part] = []
            for (k, part) in parts.enumerated() {
                let file = "\(layer.name)_filters" + (parts.count > 1 ? "_\(k + 1)" : "")
                figures.append((file, Self.slices(network, layer, source: source, inputs: part.inputs, outputs: part.outputs)))
                refs.append(Part(fig: CrossReferences.placeholder(.figure, file), file: file, whole: parts.count == 1,
                                 inputs: "\(source) maps \(part.inputs.lowerBound)–\(part.inputs.upperBound - 1) (of \(layer.convolution.inChannels))",
                                 outputs: "output maps \(part.outputs.lowerBound)–\(part.outputs.upperBound - 1) (of \(layer.maps))"))
            }
            let conv = layer.convolution
            deeper.append(Deeper(name: layer.name, source: source, maps: layer.maps, mapsWord: Formatted.count(layer.maps),
                                 inputMaps: conv.inChannels, inputMapsWord: Formatted.count(conv.inChannels),
                                 kernel: "\(conv.kernel)×\(conv.kernel)",
                                 limit: Formatted.decimal(Double(Colormap.symmetricLimit(Array(network.weights(of: layer.layer)))), 3),
                                 figures: refs, oneFigure: refs.count == 1, references: Formatted.figures(refs.map(\.file))))
        }
        self.figures = figures
        let deeperFiles = deeper.flatMap { $0.figures.map(\.file) }
        // One input channel (the grey image): each filter is one kernel on the page.
        let side = first.convolution.kernel, weights = Array(network.weights(of: first.layer))
        let orientations = (0..<first.maps).compactMap { m in
            FilterOrientation(kernel: Array(weights[(m * side * side)..<((m + 1) * side * side)]), side: side)
        }
        tables = orientations.isEmpty ? [] : ["orientations"]
        let oriented = orientations.indices.filter { orientations[$0].isOriented }
        context = Context(firstFile: "\(first.name)_filters", firstFig: CrossReferences.placeholder(.figure, "\(first.name)_filters"),
                          firstLimit: Formatted.decimal(Double(Colormap.symmetricLimit(weights)), 3),
                          orientations: orientations.enumerated().map { m, o in
                              Orientation(map: m, angle: "\(Int(o.angle.rounded()) % 180)°", coherence: Formatted.decimal(o.coherence, 2),
                                          reading: o.isOriented ? o.name : "none")
                          },
                          oriented: Formatted.count(oriented.count), oneOriented: oriented.count == 1,
                          orientedList: Self.byDirection(oriented.map { ($0, orientations[$0].name) }),
                          anyOriented: !oriented.isEmpty, allOriented: oriented.count == orientations.count,
                          orientedFrom: Formatted.decimal(FilterOrientation.orientedFrom, 1), measured: !orientations.isEmpty,
                          deeper: deeper, deeperReferences: Formatted.figures(deeperFiles),
                          deeperNames: Formatted.list(deeper.map { "\($0.name)'s" }))
    }

    /// A layer's slices cut into figures: input maps in even runs of at most `inputsPerFigure`,
    /// output maps in even runs of at most `outputsPerFigure`.
    static func parts(_ layer: ConvolutionalLayer) -> [(inputs: Range<Int>, outputs: Range<Int>)] {
        func runs(_ n: Int, _ most: Int) -> [Range<Int>] {
            let count = (n + most - 1) / most
            return (0..<count).map { (n * $0 / count)..<(n * ($0 + 1) / count) }
        }
        // Past 16 output maps the columns go in bands of 16, so fewer input maps fit a figure.
        let inputs = layer.maps > 16 ? inputsPerFigure / 2 : inputsPerFigure
        return runs(layer.convolution.inChannels, inputs).flatMap { inputs in
            runs(layer.maps, outputsPerFigure).map { (inputs, $0) }
        }
    }

    /// The first layer's filters, one colour scale for all, as many to a row as fit large.
    static func firstFilters(_ network: Network, _ layer: ConvolutionalLayer) -> Keyed {
        let conv = layer.convolution, k = conv.kernel, size = conv.inChannels * k * k
        let weights = Array(network.weights(of: layer.layer)), map = Colormap.diverging(limit: Colormap.symmetricLimit(weights))
        // A single-channel image: one k × k filter per map (of several input channels, the first's).
        let many = layer.maps > 8
        let cells = (0..<layer.maps).map { f in
            ImageGrid.Cell(image: map.image(width: k, height: k, values: Array(weights[(f * size)..<(f * size + k * k)])),
                           label: many ? "\(f)" : "filter \(f)")
        }
        let columns = many ? min(layer.maps, 16) : layer.maps
        let grid = ImageGrid(cells: cells, columns: columns, cellSize: many ? 24 : 56, gap: many ? 5 : 12)
        return (many ? grid.fitting(PrintArea(width: PrintArea.column.width - 60, maxHeight: PrintArea.column.maxHeight)) : grid)
            .withColorBar(ColorBar(map, label: "weight"))
    }

    /// A column per output map, a row per input map: wide rather than tall, to fit the page; cut
    /// into bands of at most 16 columns.
    static func slices(_ network: Network, _ layer: ConvolutionalLayer, source: String, inputs: Range<Int>, outputs: Range<Int>) -> Keyed {
        let conv = layer.convolution, k = conv.kernel, plane = k * k
        let weights = Array(network.weights(of: layer.layer)), map = Colormap.diverging(limit: Colormap.symmetricLimit(weights))
        let cells = inputs.flatMap { input in
            outputs.map { output in
                let start = (output * conv.inChannels + input) * plane
                return ImageGrid.Cell(image: map.image(width: k, height: k, values: Array(weights[start..<(start + plane)])))
            }
        }
        let columns = outputs.count
        let bands = columns <= 16 ? [] : ImageGrid.bands(columns, widest: 16)
        let grid = ImageGrid(cells: cells, columns: columns, cellSize: 21, gap: 3, rowLabels: inputs.map(String.init),
                             columnLabels: outputs.map(String.init), rowTitle: "input map (\(source))", columnTitle: "output map (\(layer.name))",
                             bands: bands)
        return (columns <= 16 && inputs.count <= 8 ? grid
                : grid.fitting(PrintArea(width: PrintArea.column.width - 60, maxHeight: PrintArea.column.maxHeight), minimumCellSize: 8))
            .withColorBar(ColorBar(map, label: "weight"))
    }
}

extension FiltersChapter {
    /// The oriented maps grouped by direction, in the order of the four directions: "horizontal
    /// (maps 1 and 5), rising (map 4) and vertical (map 2)".
    static func byDirection(_ maps: [(map: Int, direction: String)]) -> String {
        let groups = ["horizontal", "rising", "vertical", "falling"].compactMap { direction -> String? in
            let numbers = maps.filter { $0.direction == direction }.map { String($0.map) }
            guard !numbers.isEmpty else { return nil }
            return "\(direction) (map\(numbers.count == 1 ? "" : "s") \(Formatted.list(numbers)))"
        }
        return Formatted.list(groups)
    }
}
