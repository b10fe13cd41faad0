import Foundation
import Testing
@testable import Analyses
import Deconvnet
import Network
import MNIST

/// The analyses' cost for a network of 96 maps (PyTorch's MNIST example: conv 32@3×3, conv
/// 64@3×3, a 2 × 2 max-pool, fc 9216→128→10, random weights) on the 10,000 test images and
/// four digits, printed. Opt-in (`ANALYSES_MEASURE=1`): it takes a while on a busy machine.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ANALYSES_MEASURE"] != nil))
struct NinetySixMapsMeasurement {
    @Test func measure() throws {
        let kinds: [Layer.Kind] = [
            .convolution(outChannels: 32, kernel: 3, stride: 1, padding: 0), .relu,
            .convolution(outChannels: 64, kernel: 3, stride: 1, padding: 0), .relu, .maxPool(kernel: 2, stride: 2),
            .flatten, .linear(outFeatures: 128), .relu, .linear(outFeatures: 10),
        ]
        let count = 32 * 9 + 32 + 64 * 32 * 9 + 64 + 9216 * 128 + 128 + 128 * 10 + 10
        var random = SplitMix64(seed: 96)
        let parameters = (0..<count).map { _ in (2 * random.nextUnitFloat() - 1) * 0.05 }
        let network = try Network(imageHeight: 28, imageWidth: 28, kinds: kinds, parameters: parameters)
        #expect(network.allMaps.count == 96)
        let mnist = try MNIST.load(from: repository.appendingPathComponent("Data").path)
        let testImages = mnist.test.images(0..<mnist.test.count)
        let indices = [3, 2, 8, 61], digitList = [0, 1, 5, 8]
        let digits = zip(digitList, indices).map { DigitImage(digit: $0, testIndex: $1, image: mnist.test.images([$1])) }
        var total = 0.0
        func time<T>(_ what: String, _ body: () -> T) -> T {
            let start = Date()
            let result = body()
            let seconds = Date().timeIntervalSince(start)
            total += seconds
            print(String(format: "%@: %.2f s", what, seconds))
            return result
        }
        let deconvnet = Deconvnet(network: network)
        let reconstructions = time("reconstructions (4 digits × 96 maps)") {
            digits.map { DigitReconstruction(digit: $0.digit, testIndex: $0.testIndex, image: $0.image, deconvnet: deconvnet, mode: .wholeMap) }
        }
        let top = time("top-9 (10,000 images)") { TopActivations(network: network, testImages: testImages) }
        _ = time("invariance") { Invariance(network: network, digits: digits, testImages: testImages) }
        _ = time("occlusion") { Occlusion(network: network, digits: digits, fill: 0.1307) }
        let checks = time("rules and sanity checks") { SanityChecks(network: network, digits: digitList, images: digits.map(\.image)) }
        _ = time("findings") { (checks.findings, checks.rules.findings, top.findings(labels: mnist.test.labels)) }
        _ = time("files") {
            (DigitReconstruction.file(reconstructions, network: network, mode: .wholeMap, metadata: [:]).encoded().count,
             top.safetensors().encoded().count, checks.file(metadata: [:]).encoded().count, checks.rules.file(metadata: [:]).encoded().count)
        }
        print(String(format: "total: %.2f s", total))
        #expect(checks.conditions.map(\.key) == ["trained", "random_conv2", "random_conv1_conv2", "switches_only"])
    }
}
