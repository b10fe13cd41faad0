extension Invariance {
    /// Where each digit keeps its label, the range every digit survives, and which layer moves less.
    public struct Findings: Sendable, Equatable {
        public struct Digit: Sendable, Equatable {
            public let digit: Int
            /// The contiguous range of shifts (rows) and of scale factors around the original in
            /// which the prediction stays `digit` (just the original when it is already wrong).
            public let shifts: ClosedRange<Double>, scales: ClosedRange<Double>
            /// The largest angle it survives turned both ways: from 0° upwards and from 360° downwards.
            public let rotation: Double
            /// The prediction when turned by 180°.
            public let upsideDown: Int
            public var upsideDownIsOther: Bool { upsideDown != digit }

            /// What a digit turned by 180° is, as handwriting goes: 0, 1 and 8 stay themselves
            /// (near-symmetric under a half turn), 6 and 9 become each other, the others no digit.
            public static let halfTurnSymmetric: Set<Int> = [0, 1, 8]
            public static let halfTurnPartner = [6: 9, 9: 6]

            /// The network's reading of the turned digit against what the turned shape is.
            public enum HalfTurn: Sendable, Equatable {
                /// 0, 1, 8 read as themselves: right, the shape is still theirs.
                case keepsSymmetric
                /// A 6 read as a 9 (or a 9 as a 6): right, the shape is the other's.
                case becomesPartner
                /// A 0, 1 or 8 read as another digit, though the turned shape is still theirs.
                case losesSymmetric
                /// Any other digit read as itself, though the turned shape is no longer it: the
                /// network does not register the turn.
                case ignoresTurn
                /// Any other reading of a digit whose turned shape is no digit's.
                case other
            }

            public var halfTurn: HalfTurn {
                if Self.halfTurnSymmetric.contains(digit) { return upsideDown == digit ? .keepsSymmetric : .losesSymmetric }
                if Self.halfTurnPartner[digit] == upsideDown { return .becomesPartner }
                return upsideDown == digit ? .ignoresTurn : .other
            }
            /// The shift it survives both ways, in rows.
            public var symmetricShift: Double { min(-shifts.lowerBound, shifts.upperBound) }
        }

        /// How far each layer moves under one transform, relative to unrelated images: the mean
        /// normalised distance over the digits and the tested parameters, the identity left out.
        public struct LayerComparison: Sendable, Equatable {
            public let transform: Transform
            public let low: Double, high: Double
            /// Zeiler & Fergus (section 4.4, Fig. 5) found that small transformations change their
            /// first layer dramatically and their top feature layer less: the high layer moves less.
            public var highMovesLess: Bool { high < low }
        }

        public let digits: [Digit]
        /// One per transform; none when the two outputs measured are one layer's (a network with a
        /// single convolutional and a single linear layer).
        public let layers: [LayerComparison]

        /// What every digit survives: the smallest symmetric shift, the overlap of the scale
        /// ranges and the smallest rotation.
        public var commonShift: Double { digits.map(\.symmetricShift).min() ?? 0 }
        public var commonScale: ClosedRange<Double> {
            // Every range holds the original's factor 1, so they overlap.
            (digits.map(\.scales.lowerBound).max() ?? 1)...(digits.map(\.scales.upperBound).min() ?? 1)
        }
        public var commonRotation: Double { digits.map(\.rotation).min() ?? 0 }

        init(_ digits: [Invariance.Digit], comparesLayers: Bool) {
            layers = !comparesLayers ? [] : Transform.allCases.map { t in
                let moved = t.parameters.indices.filter { !t.isIdentity(t.parameters[$0]) }
                func mean(_ curve: KeyPath<Curves, [Float]>) -> Double {
                    let values = digits.flatMap { d in moved.map { Double(d.curves[t]![keyPath: curve][$0]) } }
                    return values.reduce(0, +) / Double(values.count)
                }
                return LayerComparison(transform: t, low: mean(\.lowNormalised), high: mean(\.highNormalised))
            }
            self.digits = digits.map { d in
                let digit = d.image.digit
                func kept(_ t: Transform, around origin: Double) -> ClosedRange<Double> {
                    let run = Self.correctRun(d.curves[t]!.predicted, around: t.parameters.firstIndex(of: origin)!, digit: digit)
                    return t.parameters[run.lowerBound]...t.parameters[run.upperBound]
                }
                let angles = Transform.rotation.parameters, turned = d.curves[.rotation]!.predicted
                // Counterclockwise from 0° and clockwise from 360°: the smaller is what it survives both ways.
                let ccw = (turned.firstIndex { $0 != digit } ?? turned.count) - 1
                let cw = (turned.reversed().firstIndex { $0 != digit } ?? turned.count) - 1
                return Digit(digit: digit, shifts: kept(.translation, around: 0), scales: kept(.scale, around: 1),
                             rotation: angles[max(min(ccw, cw), 0)], upsideDown: turned[angles.firstIndex(of: 180)!])
            }
        }

        /// The indices around `start` where the prediction is `digit`, as far as it stays so on
        /// each side; just `start` when the prediction there is already wrong.
        static func correctRun(_ predicted: [Int], around start: Int, digit: Int) -> ClosedRange<Int> {
            guard predicted[start] == digit else { return start...start }
            var (low, high) = (start, start)
            while low > 0 && predicted[low - 1] == digit { low -= 1 }
            while high < predicted.count - 1 && predicted[high + 1] == digit { high += 1 }
            return low...high
        }
    }

    public var findings: Findings { Findings(digits, comparesLayers: lowLayer != highLayer) }
}
