import FileIO
import Foundation
import Network
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
        "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n"
            + history.epochs.map { Self.fields($0).joined(separator: ",") + "\n" }.joined()
    }

    /// An epoch's row of training.csv: six decimals, three for the seconds.
    static func fields(_ e: EpochSummary) -> [String] {
        ["\(e.epoch)"] + [e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy].map { String(format: "%.6f", $0) }
            + [String(format: "%.3f", e.seconds)]
    }

    /// The history as its files hold it, so that the writeup says the same whether the model was
    /// trained now or read back later. (Step losses are written exactly.)
    var historyAsWritten: TrainingHistory {
        var rounded = history
        rounded.epochs = history.epochs.map { e in
            let f = Self.fields(e).dropFirst().map { Double($0)! }
            return EpochSummary(epoch: e.epoch, trainLoss: f[0], trainAccuracy: f[1], testLoss: f[2], testAccuracy: f[3], seconds: f[4])
        }
        return rounded
    }

    var stepsCSV: String {
        "step,loss\n" + history.stepLosses.enumerated().map { "\($0.offset + 1),\($0.element)\n" }.joined()
    }

    static func historyHash(epochs: String, steps: String) -> String {
        SHA256.hex(Data((epochs + steps).utf8))
    }

    /// Writes metrics.json, training.csv, training_steps.csv and, last, the model into `folder`:
    /// a model file whose metadata matches means the files before it are this run's. Returns the
    /// SHA-256 of the model file's bytes.
    func write(model: LeNet5, machine: String, to folder: String) throws -> String {
        let metrics = Metrics(testAccuracy: evaluation.accuracy, testCorrect: evaluation.correct, testTotal: evaluation.total,
                              testLoss: evaluation.loss, epochs: request.options.epochs, trainImages: request.trainImages,
                              trainingSeconds: seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileSystem.write(encoder.encode(metrics), to: folder.appending(path: Self.files.metrics))
        try writeCheckpoints(to: folder, machine: machine)
        try FileSystem.write(Data(epochsCSV.utf8), to: folder.appending(path: Self.files.epochs))
        try FileSystem.write(Data(stepsCSV.utf8), to: folder.appending(path: Self.files.steps))
        let bytes = model.checkpoint(metadata: metadata(machine: machine)).encoded()
        try FileSystem.write(bytes, to: folder.appending(path: Self.files.model))
        return SHA256.hex(bytes)
    }

    /// `checkpoints/step-{n}.safetensors` in the model's format, each with the model's metadata
    /// and its step; files of other steps, left by an earlier run, are removed.
    func writeCheckpoints(to folder: String, machine: String) throws {
        let directory = folder.appending(path: Self.files.checkpoints)
        try FileSystem.createFolder(directory)
        let names = Set(checkpoints.map { Self.checkpointName($0.step) })
        for stale in FileSystem.contents(ofFolder: directory) ?? [] where stale.hasSuffix(".safetensors") && !names.contains(stale) {
            try FileSystem.remove(directory.appending(path: stale))
        }
        for (step, model) in checkpoints {
            let metadata = metadata(machine: machine).merging(["step": "\(step)"]) { $1 }
            try FileSystem.write(model.checkpoint(metadata: metadata).encoded(), to: directory.appending(path: Self.checkpointName(step)))
        }
    }

    static func checkpointName(_ step: Int) -> String { "step-\(step).safetensors" }

    /// The checkpoints `write` left for `request`: every one of its steps, each recording the
    /// model's identity and history hash; nil when one is missing or belongs to another run.
    static func readCheckpoints(from folder: String, for request: TrainingRequest,
                                model metadata: [String: String]) -> [(step: Int, model: LeNet5)]? {
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
        let steps = options.epochs * options.stepsPerEpoch(images: request.trainImages)
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
