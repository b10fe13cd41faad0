import Foundation
import LeNet

/// What a training run produced, rendered into the files `report` writes.
struct TrainingRun {
    let options: TrainingOptions
    let trainImages: Int
    let checksums: [String: String]
    let history: TrainingHistory
    let evaluation: Evaluation

    /// The model file's `__metadata__`: enough to tell whether a later run would train the same model.
    var metadata: [String: String] {
        var metadata = [
            "format": "pt",
            "architecture": "LeNet-5",
            "epochs": "\(options.epochs)",
            "batch_size": "\(options.batchSize)",
            "learning_rate": "\(options.learningRate)",
            "optimizer": options.optimizer.rawValue,
            "schedule": options.schedule.rawValue,
            "seed": "\(options.seed)",
            "train_images": "\(trainImages)",
            "test_accuracy": String(format: "%.4f", evaluation.accuracy),
        ]
        for (file, sum) in checksums { metadata["sha256.\(file)"] = sum }
        return metadata
    }

    func metricsJSON() throws -> Data {
        let metrics: [String: Any] = [
            "test_accuracy": evaluation.accuracy,
            "test_correct": evaluation.correct,
            "test_total": evaluation.total,
            "test_loss": evaluation.loss,
            "epochs": options.epochs,
            "train_images": trainImages,
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
