import Analyses
import Network

/// What decides a trained model: the options, how many training images, the data's checksums,
/// and how the inputs are normalised.
struct TrainingRequest {
    let options: TrainingOptions
    let trainImages: Int
    let checksums: [String: String]
    var normalization: InputNormalization? = nil

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
        return identity.merging(normalization?.metadata ?? [:]) { $1 }
    }

    /// The keys `matches` compares: the identity's, and the normalisation's even when this
    /// request has none, so that a model trained on normalised inputs is not reused for pixels.
    var identityKeys: [String] {
        Set(identity.keys).union([InputNormalization.meanKey, InputNormalization.stdKey]).sorted()
    }

    /// The optimizer steps after which the run saves a checkpoint for the feature evolution.
    var checkpointSteps: [Int] {
        FeatureEvolution.checkpointSteps(stepsPerEpoch: options.stepsPerEpoch(images: trainImages), epochs: options.epochs)
    }

    /// True when `metadata` (of an existing model file) records this very request.
    func matches(_ metadata: [String: String]) -> Bool {
        let identity = identity
        return identityKeys.allSatisfy { metadata[$0] == identity[$0] }
    }
}
