import Deconvnet
import Network

extension TopActivations {
    /// How selective one layer's maps are for a digit, judged by the labels of their best images.
    public struct LayerFindings: Sendable, Equatable {
        public let maps: Int
        /// Best images over all maps, and how many different test images they are.
        public let entries: Int, distinctImages: Int
        /// The share of entries that carry their map's most common label.
        public let labelPurity: Double
        /// The same share over each map's `rankedCount` best images.
        public let rankedPurity: Double
        /// Maps whose best images all carry one label.
        public let pureMaps: Int

        /// `indices[m]` are map m's best test images, `ranked[m]` its longer ranking; `labels`
        /// the test set's labels.
        public init(indices: [[Int]], ranked: [[Int]], labels: [UInt8]) {
            let majority = indices.map { Self.majority($0, labels) }
            maps = indices.count
            entries = indices.reduce(0) { $0 + $1.count }
            distinctImages = Set(indices.joined()).count
            labelPurity = Double(majority.reduce(0, +)) / Double(max(entries, 1))
            rankedPurity = Double(ranked.map { Self.majority($0, labels) }.reduce(0, +)) / Double(max(ranked.joined().count, 1))
            pureMaps = zip(majority, indices).filter { !$1.isEmpty && $0 == $1.count }.count
        }

        /// How many of `images` carry their most common label.
        static func majority(_ images: [Int], _ labels: [UInt8]) -> Int {
            var counts = [Int](repeating: 0, count: 256)
            for i in images { counts[Int(labels[i])] += 1 }
            return counts.max()!
        }
    }

    /// The label purity random test images reach, the yardstick for a layer's: `k` images drawn
    /// without replacement share their most common label `mean` of the time, and the mean over
    /// `maps` such sets stays below `upper` in `percentile` % of `draws` seeded draws.
    public struct ChancePurity: Sendable, Equatable {
        public static let draws = 1000, seed: UInt64 = 2013, percentile = 95
        public let k: Int, maps: Int
        public let mean: Double, upper: Double

        init(k: Int, maps: Int, mean: Double, upper: Double) {
            (self.k, self.maps, self.mean, self.upper) = (k, maps, mean, upper)
        }

        public init(labels: [UInt8], k: Int, maps: Int) {
            precondition(k <= labels.count && maps > 0, "cannot draw \(k) of \(labels.count) images")
            var random = SplitMix64(seed: Self.seed)
            // Each set is the first k of a partial Fisher–Yates shuffle of the test indices.
            var order = Array(labels.indices), counts = [Int](repeating: 0, count: 256), means: [Double] = []
            for _ in 0..<Self.draws {
                var total = 0
                for _ in 0..<maps {
                    for j in 0..<k {
                        order.swapAt(j, j + Int(random.next() % UInt64(labels.count - j)))
                        counts[Int(labels[order[j]])] += 1
                    }
                    total += counts.max()!
                    for j in 0..<k { counts[Int(labels[order[j]])] = 0 }
                }
                means.append(Double(total) / Double(k * maps))
            }
            (self.k, self.maps) = (k, maps)
            mean = means.reduce(0, +) / Double(means.count)
            upper = means.sorted()[(means.count * Self.percentile) / 100]
        }
    }

    public struct Findings: Sendable, Equatable {
        /// One per convolutional layer, by depth.
        public let layers: [LayerFindings]
        /// For each layer, what random images of its counts reach: of `defaultCount`-sized sets
        /// over its number of maps, and of `rankedCount`-sized ones.
        public let chance: [ChancePurity], rankedChance: [ChancePurity]

        public init(layers: [LayerFindings], chance: [ChancePurity], rankedChance: [ChancePurity]) {
            precondition(!layers.isEmpty && chance.count == layers.count && rankedChance.count == layers.count, "one yardstick per layer")
            (self.layers, self.chance, self.rankedChance) = (layers, chance, rankedChance)
        }

        /// Layer `i`'s best images agree on a label more often than `ChancePurity.percentile` % of
        /// random sets do, by both counts.
        public func aboveChance(_ i: Int) -> Bool {
            layers[i].labelPurity > chance[i].upper && layers[i].rankedPurity > rankedChance[i].upper
        }

        /// The deepest layer is selective beyond chance and its best images agree on the digit more
        /// often than the first layer's, among the few best and among the `rankedCount` best.
        public var deepestMoreSelective: Bool {
            let (first, last) = (layers.first!, layers.last!)
            return layers.count > 1 && aboveChance(layers.count - 1)
                && last.labelPurity > first.labelPurity && last.rankedPurity > first.rankedPurity
        }
    }

    public func findings(labels: [UInt8]) -> Findings {
        let layers = zip(self.layers, rankings).map { maps, ranked in
            LayerFindings(indices: maps.map { $0.map(\.testIndex) }, ranked: ranked, labels: labels)
        }
        let k = self.layers.first?.first?.count ?? 0
        return Findings(layers: layers,
                        chance: layers.map { ChancePurity(labels: labels, k: min(k, labels.count), maps: $0.maps) },
                        rankedChance: zip(layers, rankings).map { l, r in
                            ChancePurity(labels: labels, k: min(r.first?.count ?? 0, labels.count), maps: l.maps)
                        })
    }
}
