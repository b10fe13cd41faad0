import Foundation
import LeNet

/// What decides a trained model: the options, how many training images, and the data's checksums.
struct TrainingRequest {
    let options: TrainingOptions
    let trainImages: Int
    let checksums: [String: String]

    /// The model file's `__metadata__` entries that must match for the model to be reused.
    var identity: [String: String] {
        var identity = [
            "format": "pt",
            "architecture": "LeNet-5",
            "epochs": "\(options.epochs)",
            "batch_size": "\(options.batchSize)",
            "learning_rate": "\(options.learningRate)",
            "optimizer": options.optimizer.rawValue,
            "schedule": options.schedule.rawValue,
            "seed": "\(options.seed)",
            "train_images": "\(trainImages)",
        ]
        for (file, sum) in checksums { identity["sha256.\(file)"] = sum }
        return identity
    }

    /// True when `metadata` (of an existing model file) records this very request.
    func matches(_ metadata: [String: String]) -> Bool {
        identity.allSatisfy { metadata[$0.key] == $0.value }
    }
}

/// What a training run produced, rendered into the files `report` writes.
struct TrainingRun {
    let request: TrainingRequest
    let history: TrainingHistory
    let evaluation: Evaluation

    var metadata: [String: String] {
        request.identity.merging(["test_accuracy": String(format: "%.4f", evaluation.accuracy)]) { $1 }
    }

    func metricsJSON() throws -> Data {
        let metrics: [String: Any] = [
            "test_accuracy": evaluation.accuracy,
            "test_correct": evaluation.correct,
            "test_total": evaluation.total,
            "test_loss": evaluation.loss,
            "epochs": request.options.epochs,
            "train_images": request.trainImages,
            "training_seconds": history.epochs.reduce(0) { $0 + $1.seconds },
        ]
        return try JSONSerialization.data(withJSONObject: metrics, options: [.prettyPrinted, .sortedKeys])
    }

    var trainingCSV: String {
        "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n" + history.epochs.map {
            String(format: "%d,%.6f,%.6f,%.6f,%.6f,%.3f", $0.epoch, $0.trainLoss, $0.trainAccuracy, $0.testLoss, $0.testAccuracy, $0.seconds)
        }.joined(separator: "\n") + "\n"
    }
}
