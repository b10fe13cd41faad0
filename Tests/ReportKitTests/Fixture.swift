import Deconvnet
import Foundation
@testable import MNIST
import Network
@testable import ReportKit

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Small runs of the real pipeline: two epochs on the first 3,000 training images (about a second),
/// then the same model loaded as `--weights`, which has no training history, and loaded with an
/// input normalisation it was not trained with, which makes its accuracy implausible.
enum Fixture {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reportkit-fixture-\(UUID())").path

    static func options(weights: String? = nil, digits: [Int] = [0, 1, 5, 8], normalization: InputNormalization? = nil) -> ReportOptions {
        var options = ReportOptions()
        options.data = repository.appendingPathComponent("Data").path
        options.templates = repository.appendingPathComponent("Templates").path
        options.output = folder
        options.trainLimit = 3000
        options.training.epochs = 2
        options.weights = weights
        options.digits = digits
        options.normalization = normalization
        // The explanations' faithfulness over a few images: enough for every sentence, quick.
        options.faithfulnessImages = 20
        return options
    }

    static let trained: RunResults = results(options())
    static let loaded: RunResults = results(options(weights: trained.obtained.path))
    static let normalized: RunResults = results(options(weights: trained.obtained.path, normalization: .init(mean: 0.1307, std: 0.3081)))

    /// The trained fixture's model (reused, not trained again) shown through other digits.
    static func trained(digits: [Int]) -> RunResults {
        _ = trained
        return results(options(digits: digits))
    }

    private static func results(_ options: ReportOptions) -> RunResults {
        var stages = Stages(output: options.output)
        do { return try ReportPipeline(options: options).compute(&stages, folder: options.output) } catch { fatalError("the fixture run failed: \(error)") }
    }
}

/// Each layer's weights and biases uniform in ±1/√fan-in, as PyTorch initialises them, from one
/// seeded stream.
func pytorchInitialisation(_ shapes: [(fanIn: Int, weights: Int, bias: Int)], seed: UInt64) -> [Float] {
    var random = SplitMix64(seed: seed)
    var parameters = [Float]()
    for (fanIn, weights, bias) in shapes {
        let bound = 1 / Float(fanIn).squareRoot()
        for _ in 0..<(weights + bias) { parameters.append((2 * random.nextUnitFloat() - 1) * bound) }
    }
    return parameters
}

/// The network of PyTorch's MNIST example (conv1 32@3×3, conv2 64@3×3, ReLUs, a 2×2 max-pool,
/// fc1 9216 → 128, fc2 → 10, log-softmax; its dropouts do nothing at inference) with seeded
/// random weights in PyTorch's default initialisation, as if read from a file with `--weights`:
/// untrained, but every chapter has its shapes. Run on the first 1,000 test images, to be quick.
enum OtherNetworkFixture {
    static let path = "pytorch_mnist_example.onnx"

    static let network: Network = {
        let kinds: [Layer.Kind] = [.convolution(outChannels: 32, kernel: 3, stride: 1, padding: 0), .relu,
                                   .convolution(outChannels: 64, kernel: 3, stride: 1, padding: 0), .relu,
                                   .maxPool(kernel: 2, stride: 2), .flatten, .linear(outFeatures: 128), .relu,
                                   .linear(outFeatures: 10), .logSoftmax]
        let shapes: [(fanIn: Int, weights: Int, bias: Int)] = [(9, 32 * 9, 32), (32 * 9, 64 * 32 * 9, 64), (9216, 128 * 9216, 128), (128, 1280, 10)]
        let parameters = pytorchInitialisation(shapes, seed: 7)
        return try! Network(imageHeight: 28, imageWidth: 28, kinds: kinds,
                            modelNames: ["conv1", nil, "conv2", nil, nil, nil, "fc1", nil, "fc2", nil], parameters: parameters)
    }()

    static let run: RunResults = results(network, path: path)

    /// A run of `network` as if loaded from `path`, on the first 1,000 test images.
    static func results(_ network: Network, path: String) -> RunResults {
        let full = try! MNIST.load(from: repository.appendingPathComponent("Data").path)
        let data = MNIST(train: full.train, test: full.test.prefix(1000), checksums: full.checksums, verified: full.verified)
        let obtained = ObtainedModel(network: network, source: .loaded, path: path, sha256: String(repeating: "0", count: 64),
                                     options: nil, history: nil, trainImages: 0)
        let evaluation = network.evaluate(data.test, threads: 2)
        let choices = try! DigitChoice.choose(digits: [0, 1, 5, 8], labels: data.test.labels, predictions: evaluation.predictions,
                                              model: network, images: { data.test.images($0) })
        let deconvnet = Deconvnet(network: network)
        let digits = choices.map { c in
            DigitReconstruction(digit: c.digit, testIndex: c.testIndex, image: data.test.images([c.testIndex]), deconvnet: deconvnet, mode: .wholeMap)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reportkit-other-\(UUID())").path
        let analyses = AnalysisResults(network: network, exportMetadata: obtained.exportMetadata, digits: digits, data: data,
                                       checkpoints: [], mode: .wholeMap, seed: 1, faithfulnessImages: 2, folder: folder, threads: 2)
        return RunResults(data: data, train: data.train, dataFolder: "Data", obtained: obtained, evaluation: evaluation, digits: digits,
                          mode: .wholeMap, unpooling: UnpoolingExample(digit: digits[0].digit, image: digits[0].input, network: network),
                          analyses: analyses, provenance: .current(commandLine: "report --weights \(path)"))
    }
}

/// Three convolutional layers (8, 16 and 16 maps; the last without pooling) with the file's own
/// layer names, for the prose of more than two layers.
enum ThreeLayerFixture {
    static let path = "three_layers.onnx"

    static let network: Network = {
        let kinds: [Layer.Kind] = [.convolution(outChannels: 8, kernel: 3, stride: 1, padding: 1), .relu, .maxPool(kernel: 2, stride: 2),
                                   .convolution(outChannels: 16, kernel: 3, stride: 1, padding: 1), .relu, .maxPool(kernel: 2, stride: 2),
                                   .convolution(outChannels: 16, kernel: 3, stride: 1, padding: 0), .relu,
                                   .flatten, .linear(outFeatures: 32), .relu, .linear(outFeatures: 10), .logSoftmax]
        let shapes: [(fanIn: Int, weights: Int, bias: Int)] = [(9, 8 * 9, 8), (72, 16 * 72, 16), (144, 16 * 144, 16), (400, 32 * 400, 32), (32, 320, 10)]
        let parameters = pytorchInitialisation(shapes, seed: 11)
        return try! Network(imageHeight: 28, imageWidth: 28, kinds: kinds,
                            modelNames: ["features.0", nil, nil, "features.3", nil, nil, "features.6", nil, nil, "classifier.0", nil, "classifier.2", nil],
                            parameters: parameters)
    }()

    static let run: RunResults = OtherNetworkFixture.results(network, path: path)
}

/// One convolutional layer (8 maps, pooled) and one hidden linear layer: the smallest network the
/// report takes, with no deeper layer to compare the first with.
enum OneLayerFixture {
    static let path = "one_layer.onnx"

    static let network: Network = {
        let kinds: [Layer.Kind] = [.convolution(outChannels: 8, kernel: 5, stride: 1, padding: 2), .relu, .maxPool(kernel: 2, stride: 2),
                                   .flatten, .linear(outFeatures: 32), .relu, .linear(outFeatures: 10), .logSoftmax]
        let shapes: [(fanIn: Int, weights: Int, bias: Int)] = [(25, 8 * 25, 8), (1568, 32 * 1568, 32), (32, 320, 10)]
        let parameters = pytorchInitialisation(shapes, seed: 13)
        return try! Network(imageHeight: 28, imageWidth: 28, kinds: kinds,
                            modelNames: ["conv", nil, nil, nil, "fc1", nil, "fc2", nil], parameters: parameters)
    }()

    static let run: RunResults = OtherNetworkFixture.results(network, path: path)
}
