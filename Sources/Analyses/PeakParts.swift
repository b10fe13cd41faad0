import Deconvnet
import Network

/// Which part of the digit a map responds to: for each of a map's best test images (its
/// `TopActivations` ranking), where its strongest unit (the first largest block-output activation
/// in row-major order) lies on the digit. The unit's receptive field has a centre in the input;
/// the digit is the bounding box of its ink (pixels of at least `Occlusion.Findings.ink`), cut
/// into thirds each way; the centre falls in one of the nine cells (clamped to the box when it
/// lies outside). A map *prefers* a part when at least `preferredFrom` of its images peak in one
/// cell, and at least `overLayer` times as often as its layer's maps do on average there, the
/// yardstick for a map with no part of its own.
public struct PeakParts: Sendable {
    public static let preferredFrom = 0.5, overLayer = 2.0
    /// Row by row from the top left: "upper left", "top", …, "lower right".
    public static let cells = ["upper left", "top", "upper right", "left side", "centre", "right side", "lower left", "bottom",
                               "lower right"]

    /// Per map in `Network.allMaps` order, per ranked image: the strongest unit's (row, column)
    /// in the block output, and the cell its field's centre falls in.
    public let units: [[(row: Int, column: Int)]]
    public let cellsOfImages: [[Int]]
    let layers: [ConvolutionalLayer]

    /// `rankings` in `Network.allMaps` order; `testImages` pixels (byte / 255), in test-index order.
    public init(network: Network, testImages: [Float], rankings: [[Int]], threads: Int = 2) {
        let maps = network.allMaps, size = network.inputCount
        precondition(rankings.count == maps.count, "one ranking per map")
        let distinct = Array(Set(rankings.joined())).sorted()
        let row = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        let layers = network.convolutionalLayers
        let pass = network.forward(images: distinct.flatMap { testImages[($0 * size)..<(($0 + 1) * size)] },
                                   keeping: Set(layers.map(\.outputLayer)), classifier: false, threads: threads)
        let boxes = Dictionary(uniqueKeysWithValues: distinct.map { ($0, Self.inkBox(Array(testImages[($0 * size)..<(($0 + 1) * size)]),
                                                                                       width: network.imageWidth)) })
        var units: [[(row: Int, column: Int)]] = [], cells: [[Int]] = []
        for ((layer, map), ranking) in zip(maps, rankings) {
            let (height, width) = (layer.outputShape[1], layer.outputShape[2]), plane = height * width
            let output = pass.outputs[layer.outputLayer]!
            let peaks = ranking.map { image -> (row: Int, column: Int) in
                let first = (row[image]! * layer.maps + map) * plane
                var best = 0
                for p in 1..<plane where output[first + p] > output[first + best] { best = p }
                return (best / width, best % width)
            }
            units.append(peaks)
            cells.append(zip(ranking, peaks).map { image, unit in
                let field = ReceptiveField.unclipped(network: network, layer: layer, y: unit.row, x: unit.column)
                return Self.cell(y: Double(field.rows.lowerBound + field.rows.upperBound + 1) / 2,
                                 x: Double(field.columns.lowerBound + field.columns.upperBound + 1) / 2, box: boxes[image]!)
            })
        }
        self.units = units
        self.cellsOfImages = cells
        self.layers = layers
    }

    /// The rows and columns (half-open) that hold ink; the whole image when none does.
    static func inkBox(_ image: [Float], width: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        let height = image.count / width
        let inked = image.indices.filter { image[$0] >= Occlusion.Findings.ink }
        guard !inked.isEmpty else { return (0..<height, 0..<width) }
        let rows = inked.map { $0 / width }, columns = inked.map { $0 % width }
        return (rows.min()!..<(rows.max()! + 1), columns.min()!..<(columns.max()! + 1))
    }

    /// The cell (0–8, row by row) of the point (y, x), in pixel edges, within `box`'s thirds.
    static func cell(y: Double, x: Double, box: (rows: Range<Int>, columns: Range<Int>)) -> Int {
        func third(_ v: Double, _ span: Range<Int>) -> Int {
            let u = (v - Double(span.lowerBound)) / Double(span.count)
            return min(2, max(0, Int((3 * u).rounded(.down))))
        }
        return 3 * third(y, box.rows) + third(x, box.columns)
    }

    /// One map: the share of its images in each cell, its most common cell (the first of equal
    /// shares), and that cell's share among all its layer's maps' images.
    public struct Map: Sendable, Equatable {
        public let layer: ConvolutionalLayer, map: Int
        public let shares: [Double]
        public let cell: Int
        public let layerShare: Double

        public var share: Double { shares[cell] }
        public var prefersAPart: Bool { share >= PeakParts.preferredFrom && share >= PeakParts.overLayer * layerShare }
        public var part: String { PeakParts.cells[cell] }
    }

    /// Every map, in `Network.allMaps` order.
    public var maps: [Map] {
        var result: [Map] = [], index = 0
        for layer in layers {
            let range = index..<(index + layer.maps)
            let pooled = Self.shares(cellsOfImages[range].flatMap { $0 })
            for (m, cells) in cellsOfImages[range].enumerated() {
                let shares = Self.shares(cells)
                let cell = shares.indices.max { shares[$0] < shares[$1] || (shares[$0] == shares[$1] && $0 > $1) }!
                result.append(Map(layer: layer, map: m, shares: shares, cell: cell, layerShare: pooled[cell]))
            }
            index = range.upperBound
        }
        return result
    }

    /// `{layer}.{map}.peaks` (ranked images, 2; I64): the strongest unit's row and column in the
    /// block output, image by image in the ranking's order.
    public func add(to file: inout Safetensors, network: Network) {
        file.metadata["peaks"] = "the first largest block-output unit (row, column) in each ranked image; its receptive field's centre "
            + "placed in thirds of the bounding box of the pixels of at least \(Occlusion.Findings.ink)"
        for ((layer, map), peaks) in zip(network.allMaps, units) {
            file["\(layer.name).\(map).peaks"] = .init(shape: [peaks.count, 2],
                                                       integers: peaks.flatMap { [Int64($0.row), Int64($0.column)] })
        }
    }

    static func shares(_ cells: [Int]) -> [Double] {
        var counts = [Int](repeating: 0, count: 9)
        for c in cells { counts[c] += 1 }
        return counts.map { Double($0) / Double(max(cells.count, 1)) }
    }
}
