import Network

extension Invariance {
    /// What a distance is measured against: how far apart each layer's outputs for two unrelated
    /// images lie. Distances over 1,176 and over 84 values are not comparable as they stand;
    /// divided by their layer's baseline they are, and 1 then means "as far as an unrelated image".
    public struct Baseline: Sendable {
        /// `pairCount` pairs of distinct test images, drawn with SplitMix64(`seed`).
        public static let pairCount = 1000, seed: UInt64 = 2014
        /// Test indices, two per pair.
        public let pairs: [(Int, Int)]
        /// Each pair's Euclidean distance in the low and the high layer's output.
        public let lowDistances: [Float], highDistances: [Float]
        /// The mean distances: the baselines.
        public let low: Float, high: Float

        /// `testImages` (pixels, `network.inputCount` floats each, at least two images) in one
        /// pass, keeping layers `low` and `high`.
        init(network: Network, testImages: [Float], low: Int, high: Int, threads: Int) {
            let size = network.inputCount, pairs = Self.pairs(among: testImages.count / size)
            self.pairs = pairs
            let batch = pairs.flatMap { [$0.0, $0.1] }.flatMap { testImages[($0 * size)..<(($0 + 1) * size)] }
            let pass = network.forward(images: batch, keeping: [low, high], classifier: false, threads: threads)
            func distances(_ layer: Int) -> [Float] {
                pairs.indices.map { Invariance.distance(pass.output(layer, image: 2 * $0), pass.output(layer, image: 2 * $0 + 1)) }
            }
            let (lowDistances, highDistances) = (distances(low), distances(high))
            (self.lowDistances, self.highDistances) = (lowDistances, highDistances)
            (self.low, self.high) = (Self.mean(lowDistances), Self.mean(highDistances))
        }

        /// `pairCount` pairs of distinct indices below `count`, each uniform over such pairs.
        static func pairs(among count: Int) -> [(Int, Int)] {
            precondition(count >= 2, "a pair needs two images, not \(count)")
            var random = SplitMix64(seed: seed)
            return (0..<pairCount).map { _ in
                let first = Int(random.next() % UInt64(count))
                // Any of the other count − 1 images, by an offset from the first.
                return (first, (first + 1 + Int(random.next() % UInt64(count - 1))) % count)
            }
        }

        static func mean(_ values: [Float]) -> Float { Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count)) }
    }
}
