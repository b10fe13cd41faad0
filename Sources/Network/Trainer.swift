import Dispatch

/// Trains a `LeNet5` with mini-batches in a seeded order; parameters stay in one flat buffer, and
/// the images are normalised as the model says.
public final class Trainer {
    public let options: TrainingOptions
    private let parameters: Buffer<Float>
    private let normalization: InputNormalization?
    private let optimizer: Optimizer
    private let engine: Engine
    private let threads: Int
    private var shuffler: SplitMix64
    private var stepsTaken = 0
    private lazy var evaluator = Engine(capacityPerShard: Engine.inferenceChunk, training: false, threads: threads)

    /// `threads` may be 1 or 2; the result is bit-identical either way.
    public init(model: LeNet5, options: TrainingOptions, threads: Int = 2) {
        precondition(options.batchSize > 0 && options.epochs >= 0)
        self.options = options
        self.threads = threads
        let parameters = Buffer<Float>(count: LeNet5.parameterCount)
        model.parameters.withUnsafeBufferPointer { parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
        self.parameters = parameters
        normalization = model.normalization
        optimizer = Optimizer(options.optimizer, count: LeNet5.parameterCount)
        engine = Engine(capacityPerShard: (options.batchSize + Engine.shards - 1) / Engine.shards, training: true, threads: threads)
        // A stream of its own, so the order does not depend on how the weights were drawn.
        shuffler = SplitMix64(seed: options.seed ^ 0x5DEE_CE66_D1CE_5EED)
    }

    public var model: LeNet5 { LeNet5(parameters: parameters.array, normalization: normalization) }

    /// Optimizer steps taken so far, the number a checkpoint taken now would carry.
    public var step: Int { stepsTaken }

    /// The test evaluation after the last epoch `train` ran: the final model's, so nobody needs
    /// to evaluate it again.
    public private(set) var lastTestEvaluation: Evaluation?

    /// Trains for `options.epochs` epochs, evaluating on `test` after each. After each optimizer
    /// step whose number (counted from 1 over the whole run) is in `checkpointSteps`, `checkpoint`
    /// receives that number and a copy of the model.
    public func train(
        on data: some LabeledImages, test: some LabeledImages,
        checkpointSteps: Set<Int> = [], checkpoint: (_ step: Int, _ model: LeNet5) -> Void = { _, _ in },
        progress: (TrainingProgress) -> Void = { _ in }, epochEnded: (EpochSummary) -> Void = { _ in }
    ) throws(TrainingError) -> TrainingHistory {
        var history = TrainingHistory()
        for epoch in Swift.stride(from: 1, through: options.epochs, by: 1) {
            let (loss, accuracy, seconds) = try trainEpoch(epoch, on: data, history: &history, checkpointSteps: checkpointSteps,
                                                           checkpoint: checkpoint, progress: progress)
            let evaluation = evaluate(test)
            lastTestEvaluation = evaluation
            let summary = EpochSummary(epoch: epoch, trainLoss: loss, trainAccuracy: accuracy,
                                       testLoss: evaluation.loss, testAccuracy: evaluation.accuracy, seconds: seconds)
            history.epochs.append(summary)
            epochEnded(summary)
        }
        return history
    }

    /// One pass over `data` in a freshly shuffled order; returns its mean loss, accuracy and seconds.
    /// Checkpoints as in `train`.
    public func trainEpoch(
        _ epoch: Int, on data: some LabeledImages, history: inout TrainingHistory,
        checkpointSteps: Set<Int> = [], checkpoint: (_ step: Int, _ model: LeNet5) -> Void = { _, _ in },
        progress: (TrainingProgress) -> Void = { _ in }
    ) throws(TrainingError) -> (loss: Double, accuracy: Double, seconds: Double) {
        // Fisher–Yates written out: the standard library's shuffle may change between Swift
        // versions, and the order must not.
        var order = Array(0..<data.labels.count)
        for i in Swift.stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(shuffler.next() % UInt64(i + 1)))
        }
        let batchSize = options.batchSize
        let steps = options.stepsPerEpoch(images: order.count)
        let start = DispatchTime.now()
        var lossSum = 0.0, correct = 0, seen = 0

        for step in 0..<steps {
            let batch = order[(step * batchSize)..<min((step + 1) * batchSize, order.count)]
            let rate = options.schedule.rate(options.learningRate, step: stepsTaken, of: steps * options.epochs)
            let tally = trainStep(on: data, batch: batch, learningRate: rate)
            stepsTaken += 1
            if checkpointSteps.contains(stepsTaken) { checkpoint(stepsTaken, model) }
            let loss = tally.lossSum / Double(batch.count)
            guard loss.isFinite else {
                throw TrainingError(description: "training diverged: the loss became \(loss) at epoch \(epoch), step \(step + 1); "
                    + "try a lower --learning-rate than \(options.learningRate)")
            }
            history.stepLosses.append(Float(loss))
            lossSum += tally.lossSum
            correct += tally.correct
            seen += batch.count

            let elapsed = elapsedSeconds(since: start)
            let speed = Double(seen) / max(elapsed, 1e-9)
            let imagesLeft = (options.epochs - epoch) * order.count + (order.count - seen)
            progress(TrainingProgress(epoch: epoch, epochs: options.epochs, step: step + 1, steps: steps,
                                      loss: lossSum / Double(seen), imagesPerSecond: speed,
                                      secondsLeft: Double(imagesLeft) / speed))
        }
        return (lossSum / Double(seen), Double(correct) / Double(seen), elapsedSeconds(since: start))
    }

    /// Forward, backward and an optimizer step on the images at `batch`.
    func trainStep(on data: some LabeledImages, batch: ArraySlice<Int>, learningRate: Float) -> ShardTally {
        let n = batch.count
        let params = UnsafePointer(parameters.pointer), normalization = normalization
        var tallies = [ShardTally](repeating: ShardTally(), count: Engine.shards)
        tallies.withUnsafeMutableBufferPointer { tallies in
            let tallies = tallies
            engine.eachShard { s, w in
                let range = Engine.shardRange(s, of: n)
                guard !range.isEmpty else { w.gradient.fill(0); return }
                let indices = batch[(batch.startIndex + range.lowerBound)..<(batch.startIndex + range.upperBound)]
                w.profile.time(.load) {
                    w.load(data, indices)
                    normalization?.apply(w.input.pointer, count: indices.count * LeNet5.inputCount)
                }
                LeNet5.forward(params, w, batch: range.count)
                tallies[s] = w.tally(batch: range.count)
                LeNet5.backward(params, w, batch: range.count, batchSize: n)
            }
        }
        // Sum the shard gradients in shard order into the first shard's buffer, then step, on this
        // thread: vectorised, both take about 60 µs, too little to be worth a second dispatch.
        let total = engine.workspaces[0].gradient.pointer
        engine.workspaces[0].profile.time(.update) {
            for w in engine.workspaces.dropFirst() { addFloats(total, w.gradient.pointer, LeNet5.parameterCount) }
            optimizer.step(parameters.pointer, gradient: total, learningRate: learningRate)
        }
        return tallies.reduce(into: ShardTally()) { $0.lossSum += $1.lossSum; $0.correct += $1.correct }
    }

    /// Starts measuring where each shard's time goes; returns the shards' profiles.
    public func startProfiling() -> [Profile] {
        engine.workspaces.map { w in
            let profile = Profile()
            w.profile = profile
            return profile
        }
    }

    /// The summed gradient of the last step.
    var lastGradient: [Float] { engine.workspaces[0].gradient.array }

    /// The current model's mean loss, accuracy and predictions on `data`.
    public func evaluate(_ data: some LabeledImages) -> Evaluation {
        Self.evaluate(UnsafePointer(parameters.pointer), normalization: normalization, on: data, engine: evaluator)
    }
}
