import FileIO
import Foundation
import Network
import Testing
@testable import ReportKit

/// The files a training run leaves beside its model, read back.
@Suite struct TrainingRunTests {
    static func request(epochs: Int = 2) -> TrainingRequest {
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 10
        return TrainingRequest(options: options, trainImages: 25, checksums: ["a.gz": "00ff"])
    }

    static func history() -> TrainingHistory {
        var history = TrainingHistory()
        history.epochs = [EpochSummary(epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, testLoss: 0.4, testAccuracy: 0.85, seconds: 1.25),
                          EpochSummary(epoch: 2, trainLoss: 0.25, trainAccuracy: 0.9, testLoss: 0.3, testAccuracy: 0.875, seconds: 1.5)]
        history.stepLosses = [2.25, 1.5, 1, 0.75, 0.5, 0.375]   // 3 steps an epoch: ⌈25 / 10⌉
        return history
    }

    @Test func historyAndMetricsRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("training-run-\(UUID())").path
        try FileSystem.createFolder(folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let evaluation = Evaluation(loss: 0.3, correct: 7, predictions: [1, 2, 3, 4, 5, 6, 7, 8])
        let run = TrainingRun(request: Self.request(), history: Self.history(), evaluation: evaluation)
        try run.write(model: LeNet5(seed: 3), machine: "test machine", to: folder)

        let read = try #require(TrainingRun.readHistory(from: folder, for: Self.request()))
        #expect(read.epochs == Self.history().epochs)
        #expect(read.stepLosses == Self.history().stepLosses)
        let metrics = try JSONDecoder().decode(TrainingRun.Metrics.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/metrics.json")))
        #expect(metrics == .init(testAccuracy: 0.875, testCorrect: 7, testTotal: 8, testLoss: 0.3, epochs: 2, trainImages: 25, trainingSeconds: 2.75))
        let model = try Safetensors.read(from: folder + "/model.safetensors")
        #expect(Self.request().matches(model.metadata) && !Self.request(epochs: 3).matches(model.metadata))
        #expect(model.metadata["machine"] == "test machine")
        #expect(TrainingRun.readHistory(from: folder, for: Self.request(), model: model.metadata) != nil)

        // A history from another run of the same request (the same number of rows) is not this model's.
        var other = Self.history()
        other.stepLosses[0] = 2.5
        try TrainingRun(request: Self.request(), history: other, evaluation: evaluation).stepsCSV
            .write(toFile: folder + "/training_steps.csv", atomically: true, encoding: .utf8)
        #expect(TrainingRun.readHistory(from: folder, for: Self.request()) != nil, "without the model's hash it looks complete")
        #expect(TrainingRun.readHistory(from: folder, for: Self.request(), model: model.metadata) == nil)

        // Another request's history has another number of rows, so it is not taken for this one's.
        #expect(TrainingRun.readHistory(from: folder, for: Self.request(epochs: 3)) == nil)
        try "epoch,train_loss\n1,x\n".write(toFile: folder + "/training.csv", atomically: true, encoding: .utf8)
        #expect(TrainingRun.readHistory(from: folder, for: Self.request()) == nil)
    }

    /// The input normalisation is part of what a model was trained for: a model trained on
    /// normalised inputs is not reused for pixels, nor the other way round.
    @Test func normalisationIsPartOfTheIdentity() {
        var normalized = Self.request()
        normalized.normalization = InputNormalization(mean: 0.1307, std: 0.3081)
        var model = LeNet5(seed: 3)
        model.normalization = normalized.normalization
        let metadata = model.checkpoint(metadata: normalized.identity).metadata
        #expect(metadata["input_mean"] == "0.1307" && metadata["input_std"] == "0.3081")
        #expect(normalized.matches(metadata) && !Self.request().matches(metadata))
        #expect(!normalized.matches(LeNet5(seed: 3).checkpoint(metadata: Self.request().identity).metadata))
        var other = normalized
        other.normalization = InputNormalization(mean: 0.5, std: 0.5)
        #expect(!other.matches(metadata))
    }
}
