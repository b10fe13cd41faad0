import Foundation
import LeNet
import MNIST

/// The model the report is about, and where it came from.
struct ObtainedModel {
    enum Source { case trained, reused, loaded }

    let model: LeNet5
    let source: Source
    /// The model file it was read from or written to.
    let path: String
    /// Training settings and history; nil for weights loaded from elsewhere.
    let options: TrainingOptions?
    let history: TrainingHistory?
    let trainImages: Int
    /// The test-set evaluation training ended with; nil when the model was not trained now.
    var evaluation: Evaluation? = nil
}

extension ObtainedModel {
    /// Loads `options.weights`, reuses the output folder's model when it was trained with these
    /// settings, or trains a new one and writes it with its history.
    static func obtain(_ options: ReportOptions, train: Dataset, test: Dataset, checksums: [String: String]) throws -> ObtainedModel {
        if let weights = options.weights {
            let model = try LeNet5(checkpoint: Safetensors.read(from: weights), path: weights)
            print("    using the weights in \(weights); training options are ignored")
            return ObtainedModel(model: model, source: .loaded, path: weights, options: nil, history: nil, trainImages: 0)
        }
        let output = options.output
        try createDirectory(output)
        let request = TrainingRequest(options: options.training, trainImages: train.count, checksums: checksums)
        let path = output.appending(path: TrainingRun.files.model)
        if !options.retrain, let file = try? Safetensors.read(from: path), request.matches(file.metadata),
           let model = try? LeNet5(checkpoint: file, path: path), let history = TrainingRun.readHistory(from: output, for: request) {
            print("    reusing \(path), trained with these settings (--retrain to train again)")
            return ObtainedModel(model: model, source: .reused, path: path, options: request.options, history: history, trainImages: train.count)
        }

        let training = request.options
        print("    LeNet-5 (\(LeNet5.parameterCount) parameters), \(training.epochs) epochs of \(training.optimizer.rawValue), "
            + "learning rate \(training.learningRate) (\(training.schedule.rawValue)), batch \(training.batchSize), seed \(training.seed)")
        let trainer = Trainer(model: LeNet5(seed: training.seed), options: training, threads: options.threads)
        let progress = ProgressLine()
        let history = try trainer.train(on: train, test: test, progress: progress.update, epochEnded: progress.finish)
        let run = TrainingRun(request: request, history: history, evaluation: trainer.evaluate(test))
        try run.write(model: trainer.model, to: output)
        print("    trained in \(Formatted.seconds(run.seconds)); wrote \(TrainingRun.files.model), \(TrainingRun.files.metrics), "
            + "\(TrainingRun.files.epochs), \(TrainingRun.files.steps)")
        return ObtainedModel(model: trainer.model, source: .trained, path: path, options: training, history: history,
                             trainImages: train.count, evaluation: run.evaluation)
    }
}
