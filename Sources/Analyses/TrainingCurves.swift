import Network

/// What the training curves show, for the prose: the gap between training and test at the end,
/// rises of the test loss from one epoch to the next, and whether the test loss ends near its
/// lowest value.
public struct TrainingCurves: Sendable, Equatable {
    /// A test loss this much above the previous epoch's (relative) is a rise; ending within this
    /// much of its lowest value is ending near it.
    public static let riseAt = 0.10, nearLowestAt = 0.05
    /// The gap in accuracy, in percentage points, below which it is called small.
    public static let smallGapAt = 1.0

    /// A rise of the test loss after `epoch`, and the first later epoch whose test loss is back
    /// below the level before it (nil: never).
    public struct Rise: Sendable, Equatable {
        public let epoch: Int
        public let before: Double, after: Double
        public let recoveredAt: Int?
    }

    public let final: EpochSummary
    public let lowest: EpochSummary
    public let rises: [Rise]

    public init(_ epochs: [EpochSummary]) {
        precondition(!epochs.isEmpty, "no epochs")
        final = epochs.last!
        lowest = epochs.min { $0.testLoss < $1.testLoss }!
        rises = epochs.indices.dropFirst().compactMap { i in
            let (before, after) = (epochs[i - 1].testLoss, epochs[i].testLoss)
            guard after > before * (1 + Self.riseAt) else { return nil }
            return Rise(epoch: epochs[i - 1].epoch, before: before, after: after,
                        recoveredAt: epochs[(i + 1)...].first { $0.testLoss < before }?.epoch)
        }
    }

    /// Training accuracy (averaged over the last epoch) minus test accuracy, in percentage points.
    public var gap: Double { (final.trainAccuracy - final.testAccuracy) * 100 }
    public var gapIsSmall: Bool { gap < Self.smallGapAt }
    public var endsNearLowest: Bool { final.testLoss <= lowest.testLoss * (1 + Self.nearLowestAt) }
    /// Every rise was followed by a recovery.
    public var risesRecover: Bool { rises.allSatisfy { $0.recoveredAt != nil } }
}
