/// Where a run stands, reported after every step.
public struct TrainingProgress: Sendable {
    public let epoch: Int, epochs: Int
    public let step: Int, steps: Int
    /// Mean training loss of this epoch so far.
    public let loss: Double
    public let imagesPerSecond: Double
    public let secondsLeft: Double
}

public struct EpochSummary: Sendable, Codable, Equatable {
    public let epoch: Int
    public let trainLoss: Double, trainAccuracy: Double
    public let testLoss: Double, testAccuracy: Double
    /// Seconds spent training this epoch (test evaluation excluded).
    public let seconds: Double

    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.seconds = seconds
    }
}

public struct TrainingHistory: Sendable {
    public var epochs: [EpochSummary] = []
    /// The mean loss of every training step, in order.
    public var stepLosses: [Float] = []

    public init() {}

    /// The epoch with the best test accuracy (of equal ones the first); nil before any epoch.
    public var bestEpoch: EpochSummary? {
        epochs.indices.min {
            epochs[$0].testAccuracy > epochs[$1].testAccuracy || (epochs[$0].testAccuracy == epochs[$1].testAccuracy && $0 < $1)
        }.map { epochs[$0] }
    }
}

public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
}
