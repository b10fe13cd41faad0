import Foundation
import Testing
import Analyses
import Deconvnet
import Network
import MNIST

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The four analyses on the 10,000 test images with the committed model. (Their cost is in the
/// stage timings `report` prints and writes to run.txt.)
@Suite struct RealDataTests {
    @Test func allFourOnTheTestSet() throws {
        let mnist = try MNIST.load(from: repository.appendingPathComponent("Data").path)
        let path = repository.appendingPathComponent("Report/model.safetensors").path
        let model = try LeNet5(checkpoint: Safetensors.read(from: path), path: path)
        let testImages = mnist.test.images(0..<mnist.test.count)
        let predictions = model.activations(images: testImages, keeping: .logProbabilities).logProbabilities
        let labels = (0..<mnist.test.count).map { (i: Int) -> UInt8 in
            let row = predictions[(i * 10)..<(i * 10 + 10)]
            return UInt8(row.indices.max { row[$0] < row[$1] }! - i * 10)
        }
        let choices = try DigitChoice.choose(digits: [0, 1, 5, 8], labels: mnist.test.labels, predictions: labels, model: model,
                                             images: { mnist.test.images($0) })
        let digits = choices.map { DigitImage(digit: $0.digit, testIndex: $0.testIndex, image: mnist.test.images([$0.testIndex])) }

        let top = TopActivations(model: model, testImages: testImages)
        // Untrained models stand in for the six earlier checkpoints; the last is the final model,
        // whose ranking the top-9 already did.
        let checkpoints = zip([117, 234, 469, 938, 1876, 4690, 9380], 1...7).map { (step: $0, model: $1 == 7 ? model : LeNet5(seed: UInt64($1))) }
        let evolution = FeatureEvolution(checkpoints: checkpoints, testImages: testImages, reusing: top)
        let invariance = Invariance(model: model, digits: digits)
        let fill = Occlusion.meanPixel(mnist.train.pixels)
        let occlusion = Occlusion(model: model, digits: digits, fill: fill)

        for layer in ConvLayer.allCases {
            for best in top.maps(layer) {
                #expect(best.count == 9 && zip(best, best.dropFirst()).allSatisfy { $0.score >= $1.score })
            }
        }
        // The last checkpoint reuses the top-9's ranking; ranking the test set anew must agree with it.
        let anew = FeatureEvolution(checkpoints: [(step: 9380, model: model)], testImages: testImages).snapshots[0]
        for layer in ConvLayer.allCases {
            #expect(evolution.snapshots.last!.maps(layer).map(\.testIndex) == anew.maps(layer).map(\.testIndex))
            #expect(evolution.snapshots.last!.maps(layer).map(\.reconstruction) == anew.maps(layer).map(\.reconstruction))
        }
        #expect(abs(fill - 0.1307) < 5e-4, "the training set's mean pixel is \(fill)")
        for d in invariance.digits {
            let p = d.curves[.translation]!.probability[8]
            #expect(p > 0.5, "digit \(d.image.digit) unshifted: probability \(p)")
        }
        for d in occlusion.digits {
            #expect(d.unoccludedProbability > 0.5 && d.probability.min()! < d.unoccludedProbability)
        }
    }
}
