import Foundation
import LeNet

/// A training run's history and result, and the files it is kept in beside the model.
struct TrainingRun {
    static let files = (model: "model.safetensors", metrics: "metrics.json", epochs: "training.csv", steps: "training_steps.csv")

    let request: TrainingRequest
    let history: TrainingHistory
    let evaluation: Evaluation

    var seconds: Double { history.epochs.reduce(0) { $0 + $1.seconds } }

    var metadata: [String: String] {
        request.identity.merging(["test_accuracy": String(format: "%.4f", evaluation.accuracy)]) { $1 }
    }

    /// Writes metrics.json, training.csv, training_steps.csv and, last, the model into `folder`:
    /// a model file whose metadata matches means the files before it are this run's.
    func write(model: LeNet5, to folder: String) throws {
        let metrics = Metrics(testAccuracy: evaluation.accuracy, testCorrect: evaluation.correct, testTotal: evaluation.total,
                              testLoss: evaluation.loss, epochs: request.options.epochs, trainImages: request.trainImages,
                              trainingSeconds: seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(metrics), to: folder.appending(path: Self.files.metrics))
        let epochs = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n" + history.epochs.map {
            String(format: "%d,%.6f,%.6f,%.6f,%.6f,%.3f\n", $0.epoch, $0.trainLoss, $0.trainAccuracy, $0.testLoss, $0.testAccuracy, $0.seconds)
        }.joined()
        try writeAtomically(Data(epochs.utf8), to: folder.appending(path: Self.files.epochs))
        let steps = "step,loss\n" + history.stepLosses.enumerated().map { "\($0.offset + 1),\($0.element)\n" }.joined()
        try writeAtomically(Data(steps.utf8), to: folder.appending(path: Self.files.steps))
        try model.checkpoint(metadata: metadata).write(to: folder.appending(path: Self.files.model))
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

    /// The history `write` left for `request`, or nil when a file is missing, malformed, or does
    /// not have one row per epoch and step of that request.
    static func readHistory(from folder: String, for request: TrainingRequest) -> TrainingHistory? {
        func rows(_ name: String) -> [[Double]]? {
            guard let text = try? String(contentsOfFile: folder.appending(path: name), encoding: .utf8) else { return nil }
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
