import Deconvnet

extension FeatureEvolution {
    /// How far each checkpoint is from the final model, by two measures, and whether the lowest
    /// layer settles before the deepest by both.
    public struct Findings: Sendable, Equatable {
        public struct Checkpoint: Sendable, Equatable {
            public let step: Int
            /// Per convolutional layer (by depth): maps whose strongest test image is already the
            /// final model's.
            public let settled: [Int]
            /// Per layer: maps whose strongest image is another, but which score the final model's
            /// favourite within `tieTolerance` of it: a near-tie, not a change of feature.
            public let nearTies: [Int]
            /// Per layer, the mean over maps of the strongest block-output activation.
            public let meanScore: [Double]
            /// Per layer, the mean and the minimum over filters of the cosine similarity to the
            /// final model's filters.
            public let meanCosine: [Double], minCosine: [Double]
        }

        /// What the prose says of the order in which the layers settle.
        public enum Order: Sendable, Equatable {
            /// Both measures: the lowest layer settles at an earlier checkpoint than the deepest.
            case lowerFirst
            /// Neither measure says so.
            case notLowerFirst
            /// One measure says so, the other not.
            case disagree
        }

        /// One checkpoint's measurements: per layer, each map's strongest test image and its
        /// score, the score of the final model's favourite, and each filter's cosine.
        typealias Measured = (step: Int, images: [[Int]], scores: [[Float]], finalImageScores: [[Float]], cosines: [[Float]])

        /// A score within 1 % of the map's strongest counts as a tie.
        public static let tieTolerance = 0.01
        /// A layer's filters are settled while their mean cosine to the final ones is at least this.
        public static let cosineThreshold = 0.95

        public let checkpoints: [Checkpoint]
        /// Per layer, by favourite images: the first checkpoint (an index into `checkpoints`) from
        /// which every later one keeps at least half of the layer's maps on the final model's
        /// favourite or a near-tie of it. The last checkpoint, the final model itself, agrees
        /// with itself and is left out: nil when no earlier checkpoint settles.
        public let imagesSettle: [Int?]
        /// The same by weights: the mean cosine to the final filters stays ≥ `cosineThreshold`.
        public let filtersSettle: [Int?]

        public var imagesSayLowerFirst: Bool { Self.lowerFirst(imagesSettle) }
        public var filtersSayLowerFirst: Bool { Self.lowerFirst(filtersSettle) }
        public var order: Order {
            switch (imagesSayLowerFirst, filtersSayLowerFirst) {
            case (true, true): .lowerFirst
            case (false, false): .notLowerFirst
            default: .disagree
            }
        }

        /// The lowest layer settles, and the deepest later or not at all.
        static func lowerFirst(_ settle: [Int?]) -> Bool {
            guard let lowest = settle.first!, settle.count > 1 else { return false }
            return settle.last!.map { lowest < $0 } ?? true
        }

        init(_ measured: [Measured]) {
            precondition(!measured.isEmpty, "no checkpoints")
            let last = measured.last!
            let layers = last.images.indices
            func settled(_ c: Measured, _ l: Int) -> Int { zip(c.images[l], last.images[l]).filter { $0 == $1 }.count }
            func ties(_ c: Measured, _ l: Int) -> Int {
                c.images[l].indices.filter { m in
                    c.images[l][m] != last.images[l][m] && Double(c.finalImageScores[l][m]) >= (1 - Self.tieTolerance) * Double(c.scores[l][m])
                }.count
            }
            func mean(_ values: [Float]) -> Double { values.reduce(0) { $0 + Double($1) } / Double(values.count) }
            let checkpoints = measured.map { c in
                Checkpoint(step: c.step, settled: layers.map { settled(c, $0) }, nearTies: layers.map { ties(c, $0) },
                           meanScore: layers.map { mean(c.scores[$0]) }, meanCosine: layers.map { mean(c.cosines[$0]) },
                           minCosine: layers.map { Double(c.cosines[$0].min()!) })
            }
            self.checkpoints = checkpoints
            // The first earlier checkpoint from which every earlier one to the end holds.
            func settle(_ holds: (Checkpoint) -> Bool) -> Int? {
                let earlier = checkpoints.dropLast()
                return earlier.indices.first { earlier[$0...].allSatisfy(holds) }
            }
            imagesSettle = layers.map { l in settle { 2 * ($0.settled[l] + $0.nearTies[l]) >= last.images[l].count } }
            filtersSettle = layers.map { l in settle { $0.meanCosine[l] >= Self.cosineThreshold } }
        }
    }

    public var findings: Findings {
        Findings(snapshots.map { s in
            (s.step, s.layers.map { $0.map(\.testIndex) }, s.layers.map { $0.map(\.score) }, s.finalImageScores, s.filterCosines)
        })
    }
}
