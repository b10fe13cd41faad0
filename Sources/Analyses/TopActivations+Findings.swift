import Deconvnet

extension TopActivations {
    /// How selective one layer's maps are for a digit, judged by the labels of their best images.
    public struct LayerFindings: Sendable, Equatable {
        /// A layer whose maps' best images carry their most common label at least this often is
        /// said to be selective for digits.
        public static let highPurity = 0.75

        public let maps: Int
        /// Best images over all maps, and how many different test images they are.
        public let entries: Int, distinctImages: Int
        /// The share of entries that carry their map's most common label.
        public let labelPurity: Double
        /// Maps whose best images all carry one label.
        public let pureMaps: Int
        public var purityIsHigh: Bool { labelPurity >= Self.highPurity }

        /// `indices[m]` are map m's best test images; `labels` the test set's labels.
        public init(indices: [[Int]], labels: [UInt8]) {
            let majority = indices.map { best in Dictionary(best.map { (labels[$0], 1) }, uniquingKeysWith: +).values.max() ?? 0 }
            maps = indices.count
            entries = indices.reduce(0) { $0 + $1.count }
            distinctImages = Set(indices.joined()).count
            labelPurity = Double(majority.reduce(0, +)) / Double(max(entries, 1))
            pureMaps = zip(majority, indices).filter { !$1.isEmpty && $0 == $1.count }.count
        }
    }

    public struct Findings: Sendable, Equatable {
        public let conv1: LayerFindings, conv2: LayerFindings
        /// conv2's best images agree on the digit more often than conv1's.
        public var conv2MoreSelective: Bool { conv2.labelPurity > conv1.labelPurity }
    }

    public func findings(labels: [UInt8]) -> Findings {
        func layer(_ layer: ConvLayer) -> LayerFindings { LayerFindings(indices: maps(layer).map { $0.map(\.testIndex) }, labels: labels) }
        return Findings(conv1: layer(.conv1), conv2: layer(.conv2))
    }
}
