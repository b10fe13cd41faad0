import Foundation
import Testing
@testable import Analyses
import Network
import MNIST

/// The nine attributions against Captum's (Tests/Fixtures/make_attribution_fixtures.py): the
/// committed model, a LeNet-5 that normalises its input, and a network of other shapes whose
/// Grad-CAM layer is followed by average pooling. Each picture agrees within 1e-4 of its largest
/// magnitude; the largest difference of each method is printed.
@Suite struct AttributionTests {
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures")
    static let expected = try! Safetensors.read(from: fixtures.appendingPathComponent("attributions.expected.safetensors").path)
    static let test = try! MNIST.load(from: repository.appendingPathComponent("Data").path).test
    static let tolerance: Float = 1e-4

    static func committed() throws -> Network {
        let path = repository.appendingPathComponent("Report/model.safetensors").path
        return try LeNet5(checkpoint: Safetensors.read(from: path), path: path).network
    }

    static func normalised() throws -> Network {
        let path = fixtures.appendingPathComponent("lenet5.safetensors").path
        var network = try LeNet5(checkpoint: Safetensors.read(from: path), path: path).network
        network.normalization = InputNormalization(mean: 0.1307, std: 0.3081)
        return network
    }

    /// The committed model must be the one the fixture was made with.
    @Test func fixtureIsOfTheCommittedModel() throws {
        let bytes = try Data(contentsOf: repository.appendingPathComponent("Report/model.safetensors"))
        let sha = SHA256.hex(bytes)
        #expect(Self.expected.metadata["committed.model_sha256"] == sha,
                "Report/model.safetensors changed: run Tests/Fixtures/make_attribution_fixtures.py again")
    }

    @Test(arguments: ["committed", "normalised", "other"])
    func agreesWithCaptum(_ name: String) throws {
        let network = name == "committed" ? try Self.committed() : name == "normalised" ? try Self.normalised() : otherNetwork(seed: 5)
        let indices = try #require(Self.expected["\(name).indices"]?.integers).map { Int($0) }
        let classes = try #require(Self.expected["\(name).classes"]?.integers).map { Int($0) }
        let images = Self.test.images(indices)
        let attributions = ClassAttributions(network: network, images: images, indices: indices, classes: classes, seed: 1)
        if name != "other" {
            let predicted = ClassAttributions(network: network, images: images, indices: indices, seed: 1).classes
            #expect(predicted == classes, "the predicted classes")
        }
        let logP = try #require(Self.expected["\(name).log_probability"])
        let blank = try #require(Self.expected["\(name).blank_log_probability"])
        expectClose(attributions.logProbabilities, logP.values, tolerance: 1e-5, "\(name): log p_c")
        expectClose(attributions.blankLogProbabilities, blank.values, tolerance: 1e-5, "\(name): log p_c(blank)")
        for method in AttributionMethod.allCases {
            var worst: Float = 0, largest: Float = 0
            for i in indices.indices {
                let reference = try #require(Self.expected["\(name).image\(i).\(method.rawValue)"]).values
                let mine = attributions.attribution(method, image: i)
                let scale = reference.map(abs).max()!
                largest = max(largest, scale)
                worst = max(worst, zip(mine, reference).map { abs($0 - $1) }.max()! / max(scale, .leastNormalMagnitude))
            }
            print("\(name) \(method.rawValue): largest difference \(worst) of the picture's largest magnitude "
                + "(tolerance \(Self.tolerance))")
            #expect(worst <= Self.tolerance, "\(name) \(method.rawValue): \(worst) of the largest magnitude \(largest)")
        }
    }

    /// The engine's SmoothGrad noise is the script's re-implementation's, value for value.
    @Test func noiseMatchesTheScripts() throws {
        for index in [0, 3, 8, 61] {
            let noise = AttributionStreams.smoothGradNoise(seed: 1, index: index, samples: 32, pixels: 784)
            let head = try #require(Self.expected["noise.index\(index).head"]).values
            let difference = zip(noise.prefix(256), head).map { abs($0 - $1) }.max()!
            print("noise of test image \(index): largest difference \(difference) over the first 256 values (tolerance 0)")
            #expect(difference == 0)
            let sum = noise.reduce(0.0) { $0 + Double($1) }
            let expected = Double(try #require(Self.expected["noise.index\(index).sum"]).values[0])
            #expect(abs(sum - expected) <= 1e-3, "sum \(sum) against \(expected)")
        }
        // Roughly standard normal.
        var random = SplitMix64(seed: 9)
        let many = AttributionStreams.normals(100_000, from: &random)
        let mean = many.reduce(0.0) { $0 + Double($1) } / 1e5
        let variance = many.reduce(0.0) { $0 + Double($1) * Double($1) } / 1e5 - mean * mean
        #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.02, "mean \(mean), variance \(variance)")
    }

    /// An image's attributions do not depend on its batch or the thread count.
    @Test func sameBitsInAnyBatchOnAnyThreads() throws {
        let network = try Self.committed(), indices = [5, 6, 7]
        let together = ClassAttributions(network: network, images: Self.test.images(indices), indices: indices, seed: 3, threads: 2)
        for (i, index) in indices.enumerated() {
            let alone = ClassAttributions(network: network, images: Self.test.images([index]), indices: [index], seed: 3, threads: 1)
            for method in AttributionMethod.allCases {
                #expect(alone.attribution(method, image: 0).map(\.bitPattern) == together.attribution(method, image: i).map(\.bitPattern),
                        "\(method.rawValue) of test image \(index)")
            }
        }
    }

    @Test func gradCAMLooksAtTheLastRectifiedOutputBeforePooling() throws {
        #expect(try Self.committed().gradCAMLayer == 4, "LeNet-5: conv2's ReLU")
        #expect(otherNetwork(seed: 5).gradCAMLayer == 6, "the ReLU before the average pooling")
        let noReLU = try Network(imageHeight: 28, imageWidth: 28, kinds: [
            .convolution(outChannels: 2, kernel: 3, stride: 1, padding: 0), .relu,
            .convolution(outChannels: 2, kernel: 3, stride: 1, padding: 0), .maxPool(kernel: 2, stride: 2), .relu,
            .flatten, .linear(outFeatures: 10)], parameters: Array(repeating: 0.1, count: 20 + 38 + 2890))
        #expect(noReLU.gradCAMLayer == 2, "no ReLU before the pooling: the convolution itself")
        #expect(noReLU.gradCAMLayerDescription == "conv2's output (layer 3 of the chain, before pooling)")
        #expect(try Self.committed().gradCAMLayerDescription == "conv2's output after its ReLU (layer 5 of the chain, before pooling)")
    }

    /// PyTorch's `F.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), (4, 4), mode="bilinear")`.
    @Test func bilinearIsPyTorchs() {
        let up = ClassAttributions.bilinear([1, 2, 3, 4], height: 2, width: 2, toHeight: 4, width: 4)
        #expect(up == [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4])
        // (5 → 3: source positions 0.3333, 2, 3.6667.)
        let down = ClassAttributions.bilinear([0, 1, 2, 3, 4], height: 1, width: 5, toHeight: 1, width: 3)
        expectClose(down, [1 / 3, 2, 11 / 3], tolerance: 1e-6, "5 → 3")
    }
}
