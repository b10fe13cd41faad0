import FileIO
import Testing
@testable import Network

/// A model carrying an input normalisation computes, at every entry point, what the same model
/// without one computes on (x − mean) / std, bit for bit; and its model file records it.
@Suite struct InputNormalizationTests {
    static let normalization = InputNormalization(mean: 0.1307, std: 0.3081)!
    static let images: [Float] = {
        var random = SplitMix64(seed: 71)
        return (0..<(6 * LeNet5.inputCount)).map { _ in Float(UInt8(random.next() % 256)) / 255 }
    }()
    static let normalized = images.map { ($0 - normalization.mean) / normalization.std }

    static var model: LeNet5 {
        var model = LeNet5(seed: 71)
        model.normalization = normalization
        return model
    }
    static let plain = LeNet5(seed: 71)

    /// Images given as floats already in [0, 1], with labels; `fill` copies them as they are.
    struct Images: LabeledImages {
        let pixels: [Float]
        let labels: [UInt8]
        func fill(_ destination: UnsafeMutablePointer<Float>, with indices: UnsafeBufferPointer<Int>) {
            for (row, i) in indices.enumerated() {
                for p in 0..<LeNet5.inputCount { destination[row * LeNet5.inputCount + p] = pixels[i * LeNet5.inputCount + p] }
            }
        }
    }
    static let labels: [UInt8] = [3, 1, 4, 1, 5, 9]

    @Test func forwardAndBatchedPassesSeeTheNormalisedInput() {
        let pass = Self.model.forward(images: Self.images), expected = Self.plain.forward(images: Self.normalized)
        #expect(pass.conv1 == expected.conv1 && pass.pool2 == expected.pool2 && pass.logProbabilities == expected.logProbabilities)
        #expect(pass.logProbabilities != Self.plain.forward(images: Self.images).logProbabilities, "normalising changes the output")

        // pool1, pool2 and fc2 after its ReLU, with both poolings' switches.
        let batch = Self.model.network.forward(images: Self.images, keeping: [2, 5, 10], switches: true)
        let plainBatch = Self.plain.network.forward(images: Self.normalized, keeping: [2, 5, 10], switches: true)
        #expect(batch.outputs == plainBatch.outputs && batch.switches == plainBatch.switches
            && batch.logProbabilities == plainBatch.logProbabilities)
    }

    @Test func evaluationAndTrainingSeeTheNormalisedInput() throws {
        let raw = Images(pixels: Self.images, labels: Self.labels), normalized = Images(pixels: Self.normalized, labels: Self.labels)
        let evaluation = Self.model.evaluate(raw), expected = Self.plain.evaluate(normalized)
        #expect(evaluation.loss == expected.loss && evaluation.predictions == expected.predictions)

        var options = TrainingOptions()
        (options.epochs, options.batchSize) = (2, 4)
        let trainer = Trainer(model: Self.model, options: options), plainTrainer = Trainer(model: Self.plain, options: options)
        let history = try trainer.train(on: raw, test: raw), plainHistory = try plainTrainer.train(on: normalized, test: normalized)
        #expect(history.stepLosses == plainHistory.stepLosses)
        #expect(trainer.model.parameters == plainTrainer.model.parameters)
        #expect(trainer.model.normalization == Self.normalization, "the trained model keeps its input convention")
        #expect(trainer.evaluate(raw).loss == plainTrainer.evaluate(normalized).loss)
    }

    @Test func theModelFileRecordsIt() throws {
        let file = Self.model.checkpoint(metadata: ["seed": "71"])
        #expect(file.metadata == ["seed": "71", "input_mean": "0.1307", "input_std": "0.3081"])
        let read = try LeNet5(checkpoint: Safetensors.decode(file.encoded(), path: "m"), path: "m")
        #expect(read == Self.model && read.normalization == Self.normalization)
        #expect(Self.plain.checkpoint(metadata: [:]).metadata.isEmpty, "no normalisation, no keys")
        #expect(try LeNet5(checkpoint: Self.plain.checkpoint(metadata: [:]), path: "m").normalization == nil)
    }

    @Test(arguments: [
        (["input_mean": "0.5"], "__metadata__ has input_mean but no input_std"),
        (["input_std": "0.5"], "__metadata__ has input_std but no input_mean"),
        (["input_mean": "a half", "input_std": "0.5"], #"gives input_mean "a half" and input_std "0.5"; they must be numbers, the std positive"#),
        (["input_mean": "0.1", "input_std": "0"], "the std positive"),
        (["input_mean": "nan", "input_std": "1"], "they must be numbers"),
    ])
    func badMetadataIsOneLine(_ metadata: [String: String], _ phrase: String) {
        var file = Self.plain.checkpoint(metadata: [:])
        file.metadata = metadata
        do {
            _ = try LeNet5(checkpoint: file, path: "m")
            Issue.record("accepted \(metadata)")
        } catch {
            #expect(error.path == "m" && error.problem.contains(phrase) && !error.description.contains("\n"), "\(error)")
        }
    }

    @Test func identityAndFormula() {
        #expect(InputNormalization(mean: 0, std: 1)!.isIdentity && !Self.normalization.isIdentity)
        #expect(InputNormalization(mean: 0, std: 0) == nil && InputNormalization(mean: .infinity, std: 1) == nil)
        #expect(Self.normalization.formula == "(x − 0.1307) / 0.3081")
    }
}
