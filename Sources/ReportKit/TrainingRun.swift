import Foundation
import LeNet
import MNIST

/// A training run's history and result, and the files it is kept in beside the model.
struct TrainingRun {
    static let files = (model: "model.safetensors", metrics: "metrics.json", epochs: "training.csv", steps: "training_steps.csv",
                        checkpoints: "checkpoints")

    let request: TrainingRequest
    let history: TrainingHistory
    let evaluation: Evaluation
    /// The models saved after `request.checkpointSteps`.
    var checkpoints: [(step: Int, model: LeNet5)] = []

    var seconds: Double { history.epochs.reduce(0) { $0 + $1.seconds } }

    /// The request's identity, the test accuracy, the machine it was trained on, and the SHA-256
    /// of its history files, which ties them to this model.
    func metadata(machine: String) -> [String: String] {
        request.identity.merging(["test_accuracy": String(format: "%.4f", evaluation.accuracy), "machine": machine,
                                  "history_sha256": Self.historyHash(epochs: epochsCSV, steps: stepsCSV)]) { $1 }
    }

    var epochsCSV: String {
        "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n" + history.epochs.map {
            String(format: "%d,%.6f,%.6f,%.6f,%.6f,%.3f\n", $0.epoch, $0.trainLoss, $0.trainAccuracy, $0.testLoss, $0.testAccuracy, $0.seconds)
        }.joined()
    }

    var stepsCSV: String {
        "step,loss\n" + history.stepLosses.enumerated().map { "\($0.offset + 1),\($0.element)\n" }.joined()
    }

    static func historyHash(epochs: String, steps: String) -> String {
        SHA256.hex(Data((epochs + steps).utf8))
    }

    /// Writes metrics.json, training.csv, training_steps.csv and, last, the model into `folder`:
    /// a model file whose metadata matches means the files before it are this run's.
    func write(model: LeNet5, machine: String, to folder: String) throws {
        let metrics = Metrics(testAccuracy: evaluation.accuracy, testCorrect: evaluation.correct, testTotal: evaluation.total,
                              testLoss: evaluation.loss, epochs: request.options.epochs, trainImages: request.trainImages,
                              trainingSeconds: seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(metrics), to: folder.appending(path: Self.files.metrics))
        try writeCheckpoints(to: folder, machine: machine)
        try writeAtomically(Data(epochsCSV.utf8), to: folder.appending(path: Self.files.epochs))
        try writeAtomically(Data(stepsCSV.utf8), to: folder.appending(path: Self.files.steps))
        try writeAtomically(model.checkpoint(metadata: metadata(machine: machine)).encoded(), to: folder.appending(path: Self.files.model))
    }

    /// `checkpoints/step-{n}.safetensors` in the model's format, each with the model's metadata
    /// and its step; files of other steps, left by an earlier run, are removed.
    func writeCheckpoints(to folder: String, machine: String) throws {
        let directory = folder.appending(path: Self.files.checkpoints)
        try createDirectory(directory)
        let names = Set(checkpoints.map { Self.checkpointName($0.step) })
        for stale in try FileManager.default.contentsOfDirectory(atPath: directory) where stale.hasSuffix(".safetensors") && !names.contains(stale) {
            try FileManager.default.removeItem(atPath: directory.appending(path: stale))
        }
        for (step, model) in checkpoints {
            let metadata = metadata(machine: machine).merging(["step": "\(step)"]) { $1 }
            try writeAtomically(model.checkpoint(metadata: metadata).encoded(), to: directory.appending(path: Self.checkpointName(step)))
        }
    }

    static func checkpointName(_ step: Int) -> String { "step-\(step).safetensors" }

    /// The checkpoints `write` left for `request`: every one of its steps, each recording the
    /// model's identity and history hash; nil when one is missing or belongs to another run.
    static func readCheckpoints(from folder: String, for request: TrainingRequest, model metadata: [String: String]) -> [(step: Int, model: LeNet5)]? {
        var checkpoints: [(step: Int, model: LeNet5)] = []
        for step in request.checkpointSteps {
            let path = folder.appending(path: files.checkpoints).appending(path: checkpointName(step))
            guard let file = try? Safetensors.read(from: path), request.matches(file.metadata), file.metadata["step"] == "\(step)",
                  file.metadata["history_sha256"] == metadata["history_sha256"],
                  let model = try? LeNet5(checkpoint: file, path: path) else { return nil }
            checkpoints.append((step, model))
        }
        return checkpoints
    }

    /// The contents of metrics.json.
    struct Metrics: Codable, Equatable {
        let testAccuracy: Double
        let testCorrect: Int
        let testTotal: Int
        let testLoss: Double
        let epochs: Int
        let trainImages: Int
        let trainingSeconds: Double

        enum CodingKeys: String, CodingKey {
            case testAccuracy = "test_accuracy", testCorrect = "test_correct", testTotal = "test_total", testLoss = "test_loss"
            case epochs, trainImages = "train_images", trainingSeconds = "training_seconds"
        }
    }

    /// The history `write` left for `request`, or nil when a file is missing, malformed, does not
    /// have one row per epoch and step of that request, or (when the model's `metadata` records
    /// their hash) was written by another run than the model's: a run killed between writing
    /// its history and its model leaves the new history beside the old model.
    static func readHistory(from folder: String, for request: TrainingRequest, model metadata: [String: String] = [:]) -> TrainingHistory? {
        guard let epochsText = try? String(contentsOfFile: folder.appending(path: files.epochs), encoding: .utf8),
              let stepsText = try? String(contentsOfFile: folder.appending(path: files.steps), encoding: .utf8) else { return nil }
        if let recorded = metadata["history_sha256"], recorded != historyHash(epochs: epochsText, steps: stepsText) { return nil }
        func rows(_ name: String) -> [[Double]]? {
            let text = name == files.epochs ? epochsText : stepsText
            let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
            return rows.isEmpty ? nil : rows
        }
        let options = request.options
        let steps = options.epochs * ((request.trainImages + options.batchSize - 1) / options.batchSize)
        guard let epochRows = rows(files.epochs), epochRows.count == options.epochs,
              epochRows.allSatisfy({ $0.count == 6 && $0.allSatisfy { $0.isFinite && $0 >= 0 } }),
              let stepRows = rows(files.steps), stepRows.count == steps,
              stepRows.allSatisfy({ $0.count == 2 && $0[1].isFinite && $0[1] > 0 }) else { return nil }
        var history = TrainingHistory()
        history.epochs = epochRows.map {
            EpochSummary(epoch: Int($0[0]), trainLoss: $0[1], trainAccuracy: $0[2], testLoss: $0[3], testAccuracy: $0[4], seconds: $0[5])
        }
        history.stepLosses = stepRows.map { Float($0[1]) }
        return history
    }
}
