import Network

extension Occlusion {
    /// Whether hiding the digit's strokes matters more than hiding the paper, and where the
    /// prediction and the chosen map give way.
    public struct Findings: Sendable, Equatable {
        /// A pixel at least this dark is ink.
        public static let ink: Float = 0.5
        /// Hiding ink must cost at least this much more probability than hiding paper to count.
        public static let margin = 0.01

        public struct Digit: Sendable, Equatable {
            public let digit: Int
            /// The mean probability of the digit over the centres whose square covers ink, and
            /// over those whose square covers only paper (NaN when there is none).
            public let onInk: Double, offInk: Double
            /// The centre with the lowest probability (row-major index; the first of equal ones).
            public let lowest: Int
            /// The labels predicted at some centre other than `digit`, ascending.
            public let otherLabels: [Int]
            /// The share of centres at which the prediction is another label.
            public let changedShare: Double
            /// The centre where the chosen map's total is lowest, that total over the unoccluded
            /// one, and whether the centre lies in the receptive field of the map's strongest unit.
            public let weakest: Int
            public let weakestRatio: Double
            public let weakestInField: Bool
            /// The share of centres inside that receptive field: the chance that a centre picked at
            /// random lies in it.
            public let fieldShare: Double

            public var inkMatters: Bool { onInk < offInk - Findings.margin }
        }

        public let digits: [Digit]
        public var allInkMatters: Bool { digits.allSatisfy(\.inkMatters) }

        /// A count of weakest centres in the field is beyond chance when random centres would
        /// reach it this rarely.
        public static let chanceLevel = 0.05
        /// Digits whose map gives way most with the square inside its strongest unit's field,
        /// and how many random centres would be expected there.
        public var inFieldCount: Int { digits.filter(\.weakestInField).count }
        public var expectedInField: Double { digits.reduce(0) { $0 + $1.fieldShare } }
        /// The probability that random centres, one per digit, fall inside the fields at least
        /// `inFieldCount` times (each digit its own share: a Poisson binomial tail).
        public var inFieldChance: Double {
            var count = [1.0]   // count[k]: probability of k inside so far
            for d in digits {
                var next = [Double](repeating: 0, count: count.count + 1)
                for (k, p) in count.enumerated() {
                    next[k] += p * (1 - d.fieldShare)
                    next[k + 1] += p * d.fieldShare
                }
                count = next
            }
            return count[inFieldCount...].reduce(0, +)
        }
        public var inFieldBeyondChance: Bool { inFieldChance < Self.chanceLevel }

        init(digits: [Digit]) { self.digits = digits }

        init(_ digits: [Occlusion.Digit], height: Int = 28, width: Int = 28) {
            self.digits = digits.map { d in
                let image = d.image.image
                let coversInk = (0..<(height * width)).map { centre -> Bool in
                    let (rows, columns) = Occlusion.covered(row: centre / width, column: centre % width, height: height, width: width)
                    return rows.contains { r in columns.contains { c in image[r * width + c] >= Findings.ink } }
                }
                func mean(where keep: (Int) -> Bool) -> Double {
                    let kept = d.probability.indices.filter(keep).map { Double(d.probability[$0]) }
                    return kept.isEmpty ? .nan : kept.reduce(0, +) / Double(kept.count)
                }
                let lowest = d.probability.indices.min { d.probability[$0] < d.probability[$1] }!
                let weakest = d.activation.indices.min { d.activation[$0] < d.activation[$1] }!
                let changed = d.label.filter { $0 != d.image.digit }
                return Digit(digit: d.image.digit, onInk: mean { coversInk[$0] }, offInk: mean { !coversInk[$0] }, lowest: lowest,
                             otherLabels: Set(changed).sorted(), changedShare: Double(changed.count) / Double(height * width),
                             weakest: weakest,
                             weakestRatio: Double(d.activation[weakest] / max(d.unoccludedActivation, .leastNormalMagnitude)),
                             weakestInField: d.projection.receptiveField.contains(y: weakest / width, x: weakest % width),
                             fieldShare: Double(d.projection.receptiveField.rows.count * d.projection.receptiveField.columns.count)
                                 / Double(height * width))
            }
        }
    }

    public var findings: Findings { Findings(digits, height: imageHeight, width: imageWidth) }
}
