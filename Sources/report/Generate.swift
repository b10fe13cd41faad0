import ArgumentParser
import Deconvnet
@preconcurrency import Foundation
import LeNet
import MNIST

extension ReconstructionMode: ExpressibleByArgument {}

/// `report`: trains the model (or reuses it) and writes everything into the output folder.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Train LeNet-5 on MNIST, reconstruct its activations and write Report/ (the default command)."
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "The folder to write into.")
    var output = "Report"

    @Flag(help: "Train even when the output folder holds a model trained with the same settings.")
    var retrain = false

    @Option(parsing: .upToNextOption, help: "Digits whose first correctly classified test image is reconstructed.")
    var digits: [Int] = [0, 1, 5, 8]

    @Option(help: "whole-map (project every activation of a map) or strongest (only its largest).")
    var mode = ReconstructionMode.wholeMap

    func validate() throws {
        if let bad = digits.first(where: { !(0...9).contains($0) }) { throw ValidationError("--digits takes digits 0–9, not \(bad)") }
        guard !digits.isEmpty, Set(digits).count == digits.count else { throw ValidationError("--digits needs distinct digits") }
    }

    func run() throws {
        setvbuf(stdout, nil, _IOLBF, 0)  // keep stdout in step with the progress on stderr
        let data = orFail("cannot read MNIST") { try MNIST.load(from: training.data) }
        let train = training.trainLimit.map { data.train.prefix($0) } ?? data.train
        print("MNIST: \(train.count) training and \(data.test.count) test images")
        orFail("cannot write \(output)") { try createDirectory(output) }

        let request = TrainingRequest(options: training.options, trainImages: train.count, checksums: data.checksums)
        let modelPath = output.appending(path: "model.safetensors")
        let model: LeNet5
        if !retrain, let reused = reusableModel(at: modelPath, for: request) {
            model = reused
            print("reusing \(modelPath): it was trained with these settings (--retrain to train again)")
        } else {
            model = trainModel(request, train: train, test: data.test)
        }

        let evaluation = model.evaluate(data.test, threads: training.threads)
        print(String(format: "test accuracy %.2f %% (%d of %d)", 100 * evaluation.accuracy, evaluation.correct, evaluation.total))
        reconstruct(model, test: data.test, predictions: evaluation.predictions, modelPath: modelPath)
    }

    /// The model in `path` if its metadata records `request` and the other training outputs exist.
    func reusableModel(at path: String, for request: TrainingRequest) -> LeNet5? {
        let companions = ["metrics.json", "training.csv"].map { output.appending(path: $0) }
        guard companions.allSatisfy(FileManager.default.fileExists), let file = try? Safetensors.read(from: path),
              request.matches(file.metadata) else { return nil }
        return try? LeNet5(checkpoint: file, path: path)
    }

    func trainModel(_ request: TrainingRequest, train: Dataset, test: Dataset) -> LeNet5 {
        let options = request.options
        print("training LeNet-5 (\(LeNet5.parameterCount) parameters) for \(options.epochs) epochs, "
            + "\(options.optimizer.rawValue) lr \(options.learningRate) (\(options.schedule.rawValue)), batch \(options.batchSize), seed \(options.seed)")
        let trainer = Trainer(model: LeNet5(seed: options.seed), options: options, threads: training.threads)
        let progress = ProgressLine()
        let history: TrainingHistory
        do {
            history = try trainer.train(on: train, test: test, progress: progress.update, epochEnded: progress.finish)
        } catch {
            fail(error.description)
        }
        let model = trainer.model
        let run = TrainingRun(request: request, history: history, evaluation: trainer.evaluate(test))
        orFail("cannot write \(output)") {
            try model.checkpoint(metadata: run.metadata).write(to: output.appending(path: "model.safetensors"))
            try writeAtomically(run.metricsJSON(), to: output.appending(path: "metrics.json"))
            try writeAtomically(Data(run.trainingCSV.utf8), to: output.appending(path: "training.csv"))
        }
        print(String(format: "trained in %.1f s; wrote model.safetensors, metrics.json, training.csv",
                     history.epochs.reduce(0) { $0 + $1.seconds }))
        return model
    }

    /// Reconstructs all 22 maps for each chosen digit and writes `deconvnet.safetensors`.
    func reconstruct(_ model: LeNet5, test: Dataset, predictions: [UInt8], modelPath: String) {
        let start = Date()
        let indices = orFail("cannot choose images") {
            try DigitChoice.firstCorrect(digits: digits, labels: test.labels, predictions: predictions)
        }
        let deconvnet = Deconvnet(model: model)
        let results = zip(digits, indices).map { digit, index in
            DigitReconstruction(digit: digit, testIndex: index, image: test.images([index]), deconvnet: deconvnet, mode: mode)
        }
        let seconds = Date().timeIntervalSince(start)
        let modelSum = orFail("cannot read \(modelPath)") { SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: modelPath))) }
        let file = DigitReconstruction.file(results, mode: mode, metadata: ["model_sha256": modelSum])
        orFail("cannot write \(output)") { try file.write(to: output.appending(path: "deconvnet.safetensors")) }
        let used = zip(digits, indices).map { "\($0) → test image \($1)" }.joined(separator: ", ")
        print(String(format: "deconvnet (%@): %d reconstructions in %.0f ms for %@; wrote deconvnet.safetensors",
                     mode.rawValue, results.count * 22, 1000 * seconds, used))
    }
}
