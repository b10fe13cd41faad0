import ArgumentParser
import Network
import ReportKit

extension OptimizerKind: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}

/// The options that decide what a training run does, shared by `report` and `report bench`.
struct TrainingArguments: ParsableArguments {
    @Option(help: "Passes over the training set.")
    var epochs = TrainingOptions().epochs

    @Option(help: "Images per optimizer step.")
    var batchSize = TrainingOptions().batchSize

    @Option(help: "Step size of the optimizer.")
    var learningRate = TrainingOptions().learningRate

    @Option(help: "adam or sgd (with momentum 0.9).")
    var optimizer = TrainingOptions().optimizer

    @Option(help: "cosine (decay to 0 over the run) or constant.")
    var schedule = TrainingOptions().schedule

    @Option(help: "Seeds the initial weights and the order of the images.")
    var seed = TrainingOptions().seed

    @Option(help: "The folder with the four MNIST files.")
    var data = ReportOptions().data

    @Option(help: "Threads to train on (1 or 2); the weights do not depend on it.")
    var threads = ReportOptions().threads

    @Option(help: "Train on only the first N training images (for quick runs).")
    var trainLimit: Int?

    /// Ranges checked before anything is read or allocated. MNIST has 60,000 training images;
    /// the pipeline checks the batch and the limit again against the files actually read.
    func validate() throws {
        let trainImages = 60_000
        guard (1...1_000).contains(epochs) else { throw ValidationError("--epochs must be from 1 to 1,000, not \(epochs)") }
        guard (1...trainImages).contains(batchSize) else {
            throw ValidationError("--batch-size must be from 1 to \(trainImages) (the training images), not \(batchSize)")
        }
        guard learningRate.isFinite && learningRate > 0 else {
            throw ValidationError("--learning-rate must be a positive number, not \(learningRate)")
        }
        guard (1...2).contains(threads) else { throw ValidationError("--threads must be 1 or 2, not \(threads)") }
        if let trainLimit, !(1...trainImages).contains(trainLimit) {
            throw ValidationError("--train-limit must be from 1 to \(trainImages), not \(trainLimit)")
        }
        if let trainLimit, batchSize > trainLimit {
            throw ValidationError("--batch-size \(batchSize) is larger than --train-limit \(trainLimit)")
        }
    }

    var options: TrainingOptions {
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = batchSize
        options.learningRate = learningRate
        options.optimizer = optimizer
        options.schedule = schedule
        options.seed = seed
        return options
    }
}
