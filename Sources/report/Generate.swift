import ArgumentParser
@preconcurrency import Foundation
import LeNet
import MNIST

/// `report`: trains the model and writes the model file, the metrics and the training curves.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Train LeNet-5 on MNIST and write Report/ (the default command)."
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "The folder to write into.")
    var output = "Report"

    func run() throws {
        setvbuf(stdout, nil, _IOLBF, 0)  // keep stdout in step with the progress on stderr
        let data = orFail("cannot read MNIST") { try MNIST.load(from: training.data) }
        let train = training.trainLimit.map { data.train.prefix($0) } ?? data.train
        let options = training.options
        print("MNIST: \(train.count) training and \(data.test.count) test images")
        print("training LeNet-5 (\(LeNet5.parameterCount) parameters) for \(options.epochs) epochs, "
            + "\(options.optimizer.rawValue) lr \(options.learningRate) (\(options.schedule.rawValue)), batch \(options.batchSize), seed \(options.seed)")

        let trainer = Trainer(model: LeNet5(seed: options.seed), options: options, threads: training.threads)
        let progress = ProgressLine()
        let history: TrainingHistory
        do {
            history = try trainer.train(on: train, test: data.test, progress: progress.update, epochEnded: progress.finish)
        } catch {
            fail(error.description)
        }
        let evaluation = trainer.evaluate(data.test)
        let seconds = history.epochs.reduce(0) { $0 + $1.seconds }
        print(String(format: "test accuracy %.2f %% (%d of %d) after %.1f s of training",
                     100 * evaluation.accuracy, evaluation.correct, evaluation.total, seconds))

        let run = TrainingRun(options: options, trainImages: train.count, checksums: data.checksums,
                              history: history, evaluation: evaluation)
        orFail("cannot write \(output)") {
            try createDirectory(output)
            try trainer.model.checkpoint(metadata: run.metadata).write(to: output.appending(path: "model.safetensors"))
            try writeAtomically(run.metricsJSON(), to: output.appending(path: "metrics.json"))
            try writeAtomically(Data(run.trainingCSV.utf8), to: output.appending(path: "training.csv"))
        }
        print("wrote \(output)/model.safetensors, metrics.json, training.csv")
    }
}
