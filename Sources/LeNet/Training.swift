/// Everything that determines a training run's result.
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var epochs = 10
    public var batchSize = 64
    public var learningRate: Float = 1e-3
    public var optimizer = OptimizerKind.adam
    public var schedule = LearningRateSchedule.cosine
    public var seed: UInt64 = 1

    public init() {}
}

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
}

/// Loss and predictions of a model on a labelled set.
public struct Evaluation: Sendable {
    public let loss: Double
    public let correct: Int
    public let predictions: [UInt8]
    public var total: Int { predictions.count }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
}

public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
}
