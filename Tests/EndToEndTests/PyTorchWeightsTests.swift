import Foundation
import Network
import Testing

/// A LeNet-5 trained in PyTorch on normalised inputs (Tests/Fixtures/make_pytorch_fixtures.py),
/// rendered with `report --weights` as its user would: with `--normalize` or the normalisation
/// its metadata records, the test accuracy is PyTorch's own to within a couple of images; without,
/// a warning says what to try.
@Suite(.serialized) struct PyTorchWeightsTests {
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// What make_pytorch_fixtures.py measured with PyTorch.
    struct PyTorchEvaluation: Decodable {
        let test_images: Int
        let test_correct_normalized: Int
        let test_correct_unnormalized: Int
    }
    static let pytorch: PyTorchEvaluation = try! JSONDecoder().decode(
        PyTorchEvaluation.self, from: Data(contentsOf: fixtures.appendingPathComponent("pytorch_evaluation.json")))

    /// Images PyTorch and report may disagree on: the two sum the convolutions in other orders,
    /// which moves an image whose two best classes are within rounding of each other.
    static let tolerance = 2

    /// The run's "test accuracy 97.96 % (9796 of 10000)" → 9796.
    static func correct(_ output: String) -> Int? {
        output.firstMatch(of: /test accuracy [0-9.]+ % \(([0-9]+) of ([0-9]+)\)/).flatMap { Int($0.1) }
    }

    static func report(_ arguments: [String]) throws
        -> (run: (status: Int32, output: String, error: String), markdown: String, folder: String) {
        let folder = temporaryFolder("pytorch")
        let run = try ReportCommand.run(arguments + ["--output", folder])
        let markdown = (try? String(contentsOfFile: "\(folder)/report.md", encoding: .utf8)) ?? ""
        return (run, markdown, folder)
    }

    @Test func withItsNormalisationTheAccuracyIsPyTorchsOwn() throws {
        let option = try Self.report(["--weights", Self.fixture("lenet5.safetensors"), "--normalize", "0.1307", "0.3081"])
        defer { try? FileManager.default.removeItem(atPath: option.folder) }
        #expect(option.run.status == 0, "\(option.run.error)")
        let correct = try #require(Self.correct(option.run.output), "\(option.run.output)")
        let difference = correct - Self.pytorch.test_correct_normalized
        #expect(abs(difference) <= Self.tolerance,
                "report: \(correct), PyTorch: \(Self.pytorch.test_correct_normalized) of \(Self.pytorch.test_images) (difference \(difference))")
        print("normalised: report \(correct), PyTorch \(Self.pytorch.test_correct_normalized) of \(Self.pytorch.test_images)")
        #expect(option.run.output.contains("inputs normalised as (x − 0.1307) / 0.3081 (--normalize)"), "\(option.run.output)")
        #expect(!option.run.error.contains("warning:") && !option.markdown.contains("implausibly"), "\(option.run.error)")
        #expect(option.markdown.contains(
            "(x − 0.1307) / 0.3081, as `--normalize` asks: from −0.42 for white paper to 2.82 for full ink"))
        #expect(option.markdown.contains("reconstructions in the network's normalised input space"))
        let exported = try Safetensors.read(from: "\(option.folder)/deconvnet.safetensors")
        #expect(exported.metadata["input_mean"] == "0.1307" && exported.metadata["input_std"] == "0.3081")

        // The same weights in nn.Sequential containers, the normalisation in the file's metadata.
        let metadata = try Self.report(["--weights", Self.fixture("lenet5-sequential.safetensors")])
        defer { try? FileManager.default.removeItem(atPath: metadata.folder) }
        #expect(metadata.run.status == 0, "\(metadata.run.error)")
        #expect(Self.correct(metadata.run.output) == correct, "the same weights and inputs give the same predictions")
        #expect(metadata.run.output.contains("read its tensors as features.0 → conv1, features.3 → conv2, classifier.0 → fc1, "
            + "classifier.2 → fc2, classifier.4 → fc3 (matched by shape)"), "\(metadata.run.output)")
        #expect(metadata.run.output.contains("inputs normalised as (x − 0.1307) / 0.3081 (the file's metadata)"))
        #expect(metadata.markdown.contains("Its tensors were read as features.0 → conv1,"))
        #expect(metadata.markdown.contains("as the model file's metadata records"))
    }

    @Test func withoutItAWarningSaysWhatToTry() throws {
        let plain = try Self.report(["--weights", Self.fixture("lenet5-dataparallel.safetensors")])
        defer { try? FileManager.default.removeItem(atPath: plain.folder) }
        #expect(plain.run.status == 0, "\(plain.run.error)")
        let correct = try #require(Self.correct(plain.run.output), "\(plain.run.output)")
        let difference = correct - Self.pytorch.test_correct_unnormalized
        #expect(abs(difference) <= Self.tolerance,
                "report: \(correct), PyTorch on pixels: \(Self.pytorch.test_correct_unnormalized) (difference \(difference))")
        print("not normalised: report \(correct), PyTorch \(Self.pytorch.test_correct_unnormalized) of \(Self.pytorch.test_images)")
        #expect(plain.run.output.contains("read its tensors as module.conv1 → conv1,")
                && plain.run.output.contains("(prefix module. removed)"))
        let warnings = plain.run.error.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        #expect(warnings.count == 1, "\(plain.run.error)")
        #expect(warnings.first?.contains("is implausibly low for a trained LeNet-5 on MNIST (below 90 %)") == true
            && warnings.first?.contains("try --normalize 0.1307 0.3081") == true
            && warnings.first?.contains("another network") == true && warnings.first?.contains("untrained") == true, "\(warnings)")
        #expect(plain.markdown.contains("**That is implausibly low for a trained LeNet-5**"))
        #expect(plain.markdown.contains("try\n`--normalize 0.1307 0.3081`") || plain.markdown.contains("try `--normalize 0.1307 0.3081`"))
        #expect(plain.markdown.contains("pixels as byte / 255, not normalised"))

        // The same file with its normalisation, into the same folder: nothing computed for the
        // pixels is read back, as the exports record the normalisation beside the model's hash.
        let normalize = ["--weights", Self.fixture("lenet5-dataparallel.safetensors"), "--normalize", "0.1307", "0.3081",
                         "--output", plain.folder]
        let normalized = try ReportCommand.run(normalize)
        #expect(normalized.status == 0 && !normalized.output.contains("read back"), "\(normalized.output)")
        #expect(Self.correct(normalized.output).map { abs($0 - Self.pytorch.test_correct_normalized) <= Self.tolerance } == true)
        #expect(!normalized.error.contains("warning:"))
        let again = try ReportCommand.run(normalize)
        #expect(again.output.contains("read back"), "the same settings read the analyses back: \(again.output)")
    }

    /// Training with `--normalize` writes it into the model file, where `--weights` finds it, and
    /// a model trained otherwise is not reused.
    @Test func trainingRecordsItsNormalisation() throws {
        let output = temporaryFolder("normalised-training")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let arguments = ["--train-limit", "1000", "--epochs", "1", "--output", output]
        let trained = try ReportCommand.run(arguments + ["--normalize", "0.1307", "0.3081"])
        #expect(trained.status == 0, "\(trained.error)")
        #expect(trained.output.contains("inputs normalised as (x − 0.1307) / 0.3081"), "\(trained.output)")
        let model = try Safetensors.read(from: "\(output)/model.safetensors")
        #expect(model.metadata["input_mean"] == "0.1307" && model.metadata["input_std"] == "0.3081", "\(model.metadata)")
        let checkpoint = try Safetensors.read(from: "\(output)/checkpoints/step-16.safetensors")
        #expect(checkpoint.metadata["input_mean"] == "0.1307")

        let again = try ReportCommand.run(arguments + ["--normalize", "0.13070", "0.3081"])
        #expect(again.status == 0 && again.output.contains("reusing"), "\(again.output)")
        let loaded = try Self.report(["--weights", "\(output)/model.safetensors"])
        defer { try? FileManager.default.removeItem(atPath: loaded.folder) }
        #expect(loaded.run.output.contains("(the file's metadata)"), "\(loaded.run.output)")
        #expect(Self.correct(loaded.run.output) == Self.correct(trained.output), "the loaded model sees its inputs as in training")

        let pixels = try ReportCommand.run(arguments)
        #expect(pixels.status == 0 && !pixels.output.contains("reusing"), "\(pixels.output)")
        #expect(pixels.output.contains("was trained with other settings (input_mean, input_std)"), "\(pixels.output)")
        #expect(try Safetensors.read(from: "\(output)/model.safetensors").metadata["input_mean"] == nil)
    }
}
