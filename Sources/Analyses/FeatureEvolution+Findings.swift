import Deconvnet

extension FeatureEvolution {
    /// How far each checkpoint is from the final model's choices, and when each layer settles.
    public struct Findings: Sendable, Equatable {
        public struct Checkpoint: Sendable, Equatable {
            public let step: Int
            /// Maps whose strongest test image is already the last checkpoint's.
            public let settledConv1: Int, settledConv2: Int
            /// The mean over maps of the strongest pooled activation.
            public let meanScoreConv1: Double, meanScoreConv2: Double

            public func settled(_ layer: ConvLayer) -> Int { layer == .conv1 ? settledConv1 : settledConv2 }
        }

        /// One checkpoint's choices: per layer, each map's strongest test image and its score.
        typealias Choices = (step: Int, images: [ConvLayer: [Int]], scores: [ConvLayer: [Float]])

        public let checkpoints: [Checkpoint]
        /// The first checkpoint (an index into `checkpoints`) from which every later one has at
        /// least half of the layer's maps settled.
        public let halfSettledConv1: Int, halfSettledConv2: Int
        /// The lower layer gets there at an earlier checkpoint.
        public var conv1SettlesFirst: Bool { halfSettledConv1 < halfSettledConv2 }

        init(_ choices: [Choices]) {
            precondition(!choices.isEmpty, "no checkpoints")
            let last = choices.last!
            func settled(_ c: Choices, _ layer: ConvLayer) -> Int { zip(c.images[layer]!, last.images[layer]!).filter { $0 == $1 }.count }
            func mean(_ c: Choices, _ layer: ConvLayer) -> Double { Double(c.scores[layer]!.reduce(0, +)) / Double(c.scores[layer]!.count) }
            let checkpoints = choices.map {
                Checkpoint(step: $0.step, settledConv1: settled($0, .conv1), settledConv2: settled($0, .conv2),
                           meanScoreConv1: mean($0, .conv1), meanScoreConv2: mean($0, .conv2))
            }
            func halfSettled(_ layer: ConvLayer) -> Int {
                let maps = last.images[layer]!.count
                return checkpoints.indices.first { i in checkpoints[i...].allSatisfy { 2 * $0.settled(layer) >= maps } } ?? checkpoints.count - 1
            }
            self.checkpoints = checkpoints
            halfSettledConv1 = halfSettled(.conv1)
            halfSettledConv2 = halfSettled(.conv2)
        }
    }

    public var findings: Findings {
        Findings(snapshots.map { s in
            (s.step, Dictionary(uniqueKeysWithValues: ConvLayer.allCases.map { ($0, s.maps($0).map(\.testIndex)) }),
             Dictionary(uniqueKeysWithValues: ConvLayer.allCases.map { ($0, s.maps($0).map(\.score)) }))
        })
    }
}
