/// Everything that determines a training run's result.
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var epochs = 10
    public var batchSize = 64
    public var learningRate: Float = 1e-3
    public var optimizer = OptimizerKind.adam
    public var schedule = LearningRateSchedule.cosine
    public var seed: UInt64 = 1

    public init() {}

    /// Optimizer steps in an epoch over `images` images: the last batch may be short.
    public func stepsPerEpoch(images: Int) -> Int {
        (images + batchSize - 1) / batchSize
    }
}
