import FileIO
import Foundation
import MNIST
import Network
import Testing
@testable import ONNX

/// The files PyTorch's two exporters and tf2onnx wrote (Tests/Fixtures/make_onnx_fixtures.py and
/// make_keras_onnx_fixture.py): each reads as its chain of layers with the module names a user
/// knows, and the engine computes from it what the framework computed: log-probabilities within
/// 1e-5, and the projections of every map of every convolutional layer under the three backward
/// rules within 1e-5 of each picture's largest magnitude (computed exactly, in float64), or, for
/// the few pictures whose seed comes from a cancellation, as close as twice PyTorch's own float32.
@Suite struct ONNXFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx").path
    static func path(_ name: String) -> String { folder + "/" + name }

    struct Expectation: Sendable, CustomTestStringConvertible {
        let file: String
        let kinds: [Layer.Kind]
        let names: [String?]
        var declared: Network.DeclaredOutput = .logProbabilities
        var normalized = false
        /// Words that some note must hold, one entry per note looked for.
        var notes: [String] = []
        /// Whether the expected file holds projections (not for graphs written by hand).
        var projections = true
        var testDescription: String { file }
    }

    static let lenet5Kinds = LeNet5.kinds
    static let lenet5Names: [String?] = ["conv1", nil, "pool1", "conv2", nil, "pool2", nil, "fc1", nil, "fc2", nil, "fc3", nil]
    static let stridedKinds: [Layer.Kind] = [
        .convolution(outChannels: 8, kernel: 3, stride: 2, padding: 1), .relu, .averagePool(kernel: 2, stride: 2),
        .convolution(outChannels: 16, kernel: 3, stride: 1, padding: 0), .relu, .maxPool(kernel: 3, stride: 2),
        .flatten, .linear(outFeatures: 32), .relu, .linear(outFeatures: 10), .logSoftmax,
    ]
    static let stridedNames: [String?] = ["conv1", nil, "pool1", "conv2", nil, "pool2", nil, "fc1", nil, "fc2", nil]
    static let sequentialKinds: [Layer.Kind] = [
        .convolution(outChannels: 4, kernel: 5, stride: 1, padding: 0), .relu, .maxPool(kernel: 3, stride: 3),
        .convolution(outChannels: 8, kernel: 3, stride: 1, padding: 0), .relu,
        .convolution(outChannels: 6, kernel: 1, stride: 1, padding: 0), .relu, .flatten, .linear(outFeatures: 10), .logSoftmax,
    ]
    static let sequentialNames: [String?] = ["features.0", "features.1", "features.2", "features.3", "features.4", "features.5",
                                             "features.6", "classifier.0", "classifier.1", "classifier.2"]

    static let accepted: [Expectation] = [
        Expectation(file: "lenet5-dynamo.onnx", kinds: lenet5Kinds, names: lenet5Names, normalized: true),
        Expectation(file: "lenet5-legacy.onnx", kinds: lenet5Kinds, names: lenet5Names, normalized: true),
        Expectation(file: "strided-dynamo.onnx", kinds: stridedKinds, names: stridedNames, declared: .logits),
        Expectation(file: "strided-legacy.onnx", kinds: stridedKinds, names: stridedNames, declared: .logits),
        Expectation(file: "strided-unoptimized.onnx", kinds: stridedKinds, names: stridedNames, declared: .logits,
                    notes: ["BatchNormalization) folded into conv1",
                            "nodes on constants and shapes evaluated when reading: Shape, Squeeze, Constant, Reshape, Constant, Concat"]),
        Expectation(file: "sequential-dynamo.onnx", kinds: sequentialKinds, names: sequentialNames, declared: .probabilities),
        Expectation(file: "sequential-legacy.onnx", kinds: sequentialKinds, names: sequentialNames, declared: .probabilities),
        Expectation(file: "mnist-example-dynamo.onnx", kinds: [
            .convolution(outChannels: 32, kernel: 3, stride: 1, padding: 0), .relu,
            .convolution(outChannels: 64, kernel: 3, stride: 1, padding: 0), .relu, .maxPool(kernel: 2, stride: 2),
            .flatten, .linear(outFeatures: 128), .relu, .linear(outFeatures: 10), .logSoftmax,
        ], names: ["conv1", nil, "conv2", nil, nil, nil, "fc1", nil, "fc2", nil]),
        Expectation(file: "keras-lenet5.onnx", kinds: lenet5Kinds,
                    names: ["conv2d_1", "conv2d_1", "max_pooling2d_1", "conv2d_1_2", "conv2d_1_2", "max_pooling2d_1_2",
                            "flatten_1", "dense_1", "dense_1", "dense_1_2", "dense_1_2", "dense_2_1", "dense_2_1"],
                    declared: .probabilities,
                    notes: ["only relabels one-channel maps from channels-last to channels-first",
                            "Transpose) to channels-last: folded into the layer after the flatten",
                            "weight columns permuted from the channels-last (H, W, C) flatten order to (C, H, W)",
                            "6 nodes on constants and shapes evaluated when reading: Shape, Gather, Cast, Slice, Concat, Cast",
                            "BiasAdd (Add) folded into the bias of dense_1"]),
        Expectation(file: "handmade.onnx", kinds: [
            .convolution(outChannels: 4, kernel: 3, stride: 1, padding: 1), .relu, .maxPool(kernel: 2, stride: 2),
            .convolution(outChannels: 6, kernel: 3, stride: 2, padding: 0), .relu, .averagePool(kernel: 2, stride: 2),
            .flatten, .linear(outFeatures: 20), .relu, .linear(outFeatures: 10), .logSoftmax,
        ], names: ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2", "out"],
                    declared: .probabilities,
                    notes: ["node /input/Transpose (Transpose) to channels-first", "node /conv1/Add (Add) folded into the bias of conv1",
                            "node /drop/Dropout (Dropout) dropped", "node /bn/BatchNormalization (BatchNormalization) folded into fc1",
                            "node /fc1/Gemm (Gemm): alpha 0.5 and beta 2.0 folded into its weights and bias",
                            "node /fc1/Gemm (Gemm): its weight columns permuted", "node /out/Identity (Identity) dropped",
                            "4 nodes on constants and shapes evaluated when reading: Shape, Gather, Unsqueeze, Concat"],
                    projections: false),
    ]

    static func kind(of layer: Layer) -> Layer.Kind {
        switch layer {
        case .convolution(let c): .convolution(outChannels: c.outChannels, kernel: c.kernel, stride: c.stride, padding: c.padding)
        case .relu: .relu
        case .maxPool(let p): .maxPool(kernel: p.kernel, stride: p.stride)
        case .averagePool(let p): .averagePool(kernel: p.kernel, stride: p.stride)
        case .flatten: .flatten
        case .linear(let l): .linear(outFeatures: l.outFeatures)
        case .logSoftmax: .logSoftmax
        }
    }

    /// The first eight MNIST test images as byte / 255.
    static let images: [Float] = {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/t10k-images-idx3-ubyte.gz").path
        let decoded = try! IDX.contents(of: data).decoded
        let pixels = try! IDX.readImages(decoded, path: data).pixels
        return pixels.prefix(8 * 784).map { Float($0) / 255 }
    }()

    static func expected(_ file: String) throws -> Safetensors {
        try Safetensors.read(from: path(file.replacingOccurrences(of: ".onnx", with: ".expected.safetensors")))
    }

    @Test(arguments: accepted)
    func readsTheChain(_ e: Expectation) throws {
        let model = try ONNXModel(contentsOf: Self.path(e.file))
        let network = model.network
        #expect(network.layers.map(Self.kind) == e.kinds)
        #expect(network.modelNames == e.names)
        #expect(network.declaredOutput == e.declared)
        #expect((network.imageHeight, network.imageWidth) == (28, 28))
        #expect(network.normalization == (e.normalized ? InputNormalization(mean: 0.1307, std: 0.3081) : nil))
        if e.normalized {
            #expect(model.metadata.map(\.key) == ["input_mean", "input_std"] && model.metadata.map(\.value) == ["0.1307", "0.3081"])
        }
        #expect(model.producerName == (e.file.hasPrefix("keras") ? "tf2onnx" : e.file.hasPrefix("handmade") ? "onnx.helper" : "pytorch"))
        #expect(!model.producerVersion.isEmpty && model.irVersion >= 8 && model.opsetVersion >= 13)
        for words in e.notes {
            #expect(model.notes.contains { $0.contains(words) }, "no note says \(words): \(model.notes)")
        }
        #expect(network.isLeNet5 == (e.kinds == LeNet5.kinds), "a LeNet-5 runs on the engine's own kernels")
    }

    @Test(arguments: accepted)
    func logProbabilitiesAreTheFrameworks(_ e: Expectation) throws {
        let network = try ONNXModel(contentsOf: Self.path(e.file)).network
        let want = try #require(try Self.expected(e.file)["logprobs"])
        #expect(want.shape == [8, network.classes])
        let got = network.forward(images: Self.images).logProbabilities
        let difference = zip(got, want.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(got.count == want.values.count && difference <= 1e-5, "largest difference \(difference)")
    }

    @Test(arguments: accepted.filter(\.projections))
    func projectionsAreTheFrameworks(_ e: Expectation) throws {
        let network = try ONNXModel(contentsOf: Self.path(e.file)).network
        let file = try Self.expected(e.file)
        let image = Array(Self.images.prefix(network.inputCount))
        for block in network.convolutionalLayers {
            let top = block.outputLayer
            let pass = network.forward(images: image, keeping: network.tracedLayers(below: top), switches: true)
            let output = Array(pass.output(top, image: 0))
            var signals = [Float](repeating: 0, count: block.maps * block.outputCount)
            for m in 0..<block.maps {
                for p in 0..<block.mapPlane { signals[m * block.outputCount + m * block.mapPlane + p] = output[m * block.mapPlane + p] }
            }
            for rule in BackwardRule.allCases {
                let want = try #require(file["\(rule.rawValue).\(block.name)"], "\(rule.rawValue).\(block.name)")
                #expect(want.shape == [block.maps, 1, 28, 28])
                let got = network.backward(signals, from: top, through: pass, sources: [Int](repeating: 0, count: block.maps), rule: rule)
                let pytorch = try #require(file["\(rule.rawValue).\(block.name).float32_deviation"]).values
                var worst: (excess: Float, relative: Float, map: Int) = (0, 0, -1)
                for m in 0..<block.maps {
                    let slice = want.values[m * 784..<(m + 1) * 784]
                    let scale = slice.map(abs).max()!
                    let difference = zip(got[m * 784..<(m + 1) * 784], slice).map { abs($0 - $1) }.max()!
                    let relative = scale > 0 ? difference / scale : (difference > 1e-7 ? .infinity : 0)
                    // Within 1e-5, or as close to the exact picture as PyTorch's own float32 (twice its deviation).
                    let excess = relative / max(1e-5, 2 * pytorch[m])
                    if excess > worst.excess { worst = (excess, relative, m) }
                }
                #expect(worst.excess <= 1, "\(rule.rawValue).\(block.name): map \(worst.map) differs by \(worst.relative) of its largest magnitude")
            }
        }
    }
}
