import Deconvnet

extension FeatureEvolution {
    /// How far each checkpoint is from the final model's choices, and when each layer settles.
    public struct Findings: Sendable, Equatable {
        public struct Checkpoint: Sendable, Equatable {
            public let step: Int
            /// Per convolutional layer (by depth): maps whose strongest test image is already the
            /// last checkpoint's.
            public let settled: [Int]
            /// Per layer, the mean over maps of the strongest block-output activation.
            public let meanScore: [Double]
        }

        /// One checkpoint's choices: per layer, each map's strongest test image and its score.
        typealias Choices = (step: Int, images: [[Int]], scores: [[Float]])

        public let checkpoints: [Checkpoint]
        /// Per layer, the first checkpoint (an index into `checkpoints`) from which every later one
        /// has at least half of the layer's maps settled.
        public let halfSettled: [Int]
        /// The lowest layer gets there at an earlier checkpoint than the deepest.
        public var lowestSettlesFirst: Bool { halfSettled.first! < halfSettled.last! }

        init(_ choices: [Choices]) {
            precondition(!choices.isEmpty, "no checkpoints")
            let last = choices.last!
            let layers = last.images.indices
            func settled(_ c: Choices, _ l: Int) -> Int { zip(c.images[l], last.images[l]).filter { $0 == $1 }.count }
            func mean(_ c: Choices, _ l: Int) -> Double { Double(c.scores[l].reduce(0, +)) / Double(c.scores[l].count) }
            let checkpoints = choices.map { c in
                Checkpoint(step: c.step, settled: layers.map { settled(c, $0) }, meanScore: layers.map { mean(c, $0) })
            }
            self.checkpoints = checkpoints
            halfSettled = layers.map { l in
                let maps = last.images[l].count
                return checkpoints.indices.first { i in checkpoints[i...].allSatisfy { 2 * $0.settled[l] >= maps } } ?? checkpoints.count - 1
            }
        }
    }

    public var findings: Findings {
        Findings(snapshots.map { s in (s.step, s.layers.map { $0.map(\.testIndex) }, s.layers.map { $0.map(\.score) }) })
    }
}
