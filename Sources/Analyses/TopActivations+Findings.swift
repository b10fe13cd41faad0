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
        /// One per convolutional layer, by depth.
        public let layers: [LayerFindings]

        public init(layers: [LayerFindings]) {
            precondition(!layers.isEmpty, "no layers")
            self.layers = layers
        }

        /// The deepest layer's best images agree on the digit more often than the first layer's.
        public var deepestMoreSelective: Bool { layers.last!.labelPurity > layers.first!.labelPurity }
    }

    public func findings(labels: [UInt8]) -> Findings {
        Findings(layers: layers.map { maps in LayerFindings(indices: maps.map { $0.map(\.testIndex) }, labels: labels) })
    }
}
