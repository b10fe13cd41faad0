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
        let model = try LeNet5(checkpoint: Safetensors.read(from: path), path: path).network
        let testImages = mnist.test.images(0..<mnist.test.count)
        let labels = model.forward(images: testImages).predictions.map(UInt8.init)
        let choices = try DigitChoice.choose(digits: [0, 1, 5, 8], labels: mnist.test.labels, predictions: labels, model: model,
                                             images: { mnist.test.images($0) })
        let digits = choices.map { DigitImage(digit: $0.digit, testIndex: $0.testIndex, image: mnist.test.images([$0.testIndex])) }

        let top = TopActivations(network: model, testImages: testImages)
        // Untrained models stand in for the six earlier checkpoints; the last is the final model,
        // whose ranking the top-9 already did.
        let checkpoints = zip([117, 234, 469, 938, 1876, 4690, 9380], 1...7).map {
            (step: $0, model: $1 == 7 ? model : LeNet5(seed: UInt64($1)).network)
        }
        let evolution = FeatureEvolution(checkpoints: checkpoints, testImages: testImages, reusing: top)
        let invariance = Invariance(network: model, digits: digits, testImages: testImages)
        let fill = Occlusion.meanPixel(mnist.train.pixels)
        let occlusion = Occlusion(network: model, digits: digits, fill: fill)

        for layer in model.convolutionalLayers {
            for best in top.maps(layer) {
                #expect(best.count == 9 && zip(best, best.dropFirst()).allSatisfy { $0.score >= $1.score })
            }
        }
        // The last checkpoint reuses the top-9's ranking; ranking the test set anew must agree with it.
        let anew = FeatureEvolution(checkpoints: [(step: 9380, model: model)], testImages: testImages).snapshots[0]
        for layer in model.convolutionalLayers {
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

    /// Every `.safetensors` under `Report/` is what the analyses compute now from
    /// `Report/model.safetensors` (digits 0 1 5 8, whole-map mode), byte for byte, and of
    /// `faithfulness.safetensors` the first 20 images' rows, bit for bit. (The files
    /// committed before the analyses took any network had the same bits under two older names:
    /// the deconvnet file's `pool{l}`, now `conv{l}.output`, and invariance's `pool1_distance` and
    /// `fc2_distance`, now `low_distance` and `high_distance`.)
    @Test func committedFilesAreReproducedBitForBit() throws {
        let report = repository.appendingPathComponent("Report")
        func committed(_ name: String) throws -> Safetensors { try Safetensors.read(from: report.appendingPathComponent(name).path) }
        func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: report.appendingPathComponent(name))) }
        func bits(_ t: Safetensors.Tensor?) -> [UInt32]? { t.map { $0.values.map(\.bitPattern) } }
        let mnist = try MNIST.load(from: repository.appendingPathComponent("Data").path)
        let path = report.appendingPathComponent("model.safetensors").path
        let model = try LeNet5(checkpoint: Safetensors.read(from: path), path: path).network
        let testImages = mnist.test.images(0..<mnist.test.count)
        let indices = [3, 2, 8, 61], digitList = [0, 1, 5, 8]
        #expect(indices.map { Int(mnist.test.labels[$0]) } == digitList)
        let digits = zip(digitList, indices).map { DigitImage(digit: $0, testIndex: $1, image: mnist.test.images([$1])) }

        // deconvnet.safetensors
        let old = try committed("deconvnet.safetensors")
        let deconvnet = Deconvnet(network: model)
        let reconstructions = digits.map { DigitReconstruction(digit: $0.digit, testIndex: $0.testIndex, image: $0.image, deconvnet: deconvnet,
                                                               mode: .wholeMap) }
        let new = DigitReconstruction.file(reconstructions, network: model, mode: .wholeMap, metadata: old.metadata)
        #expect(new.encoded() == (try bytes("deconvnet.safetensors")))

        // top9, evolution, occlusion, rules and sanity: the same bytes.
        let top = TopActivations(network: model, testImages: testImages)
        var topFile = top.safetensors(metadata: try committed("top9.safetensors").metadata)
        PeakParts(network: model, testImages: testImages, rankings: top.rankings.flatMap { $0 }).add(to: &topFile, network: model)
        #expect(topFile.encoded() == (try bytes("top9.safetensors")))
        let oldEvolution = try committed("evolution.safetensors")
        let steps = oldEvolution.metadata["steps"]!.split(separator: ",").map { Int($0)! }
        let checkpoints = try steps.map { step in
            let file = report.appendingPathComponent("checkpoints/step-\(step).safetensors").path
            return (step: step, model: try LeNet5(checkpoint: Safetensors.read(from: file), path: file).network)
        }
        let evolution = FeatureEvolution(checkpoints: checkpoints, testImages: testImages, reusing: top)
        #expect(evolution.safetensors(metadata: oldEvolution.metadata).encoded() == (try bytes("evolution.safetensors")))
        let oldOcclusion = try committed("occlusion.safetensors")
        let occlusion = Occlusion(network: model, digits: digits, fill: Float(oldOcclusion.metadata["fill"]!)!)
        #expect(occlusion.safetensors(metadata: oldOcclusion.metadata).encoded() == (try bytes("occlusion.safetensors")))
        let checks = SanityChecks(network: model, digits: digitList, images: digits.map(\.image))
        #expect(checks.rules.file(metadata: try committed("rules.safetensors").metadata).encoded() == (try bytes("rules.safetensors")))
        #expect(checks.file(metadata: try committed("sanity.safetensors").metadata).encoded() == (try bytes("sanity.safetensors")))
        // The rules file's deconvnet pictures are the deconvnet file's.
        for (i, d) in digitList.enumerated() {
            for (layer, map) in model.allMaps {
                #expect(bits(old["digit\(d).\(layer.name).\(map)"]) == checks.rules.projection(.deconvnet, image: i, layer: layer, map: map).map(\.bitPattern))
            }
        }

        // attributions: the same bytes; faithfulness: the first 20 images' rows bit for bit (each
        // image's curves, areas and correlations are its own, but for the last image's correlation
        // with the next, which wraps round to the first; all 1,000 take seconds).
        let oldAttributions = try committed("attributions.safetensors"), oldFaithfulness = try committed("faithfulness.safetensors")
        let seed = try #require(oldAttributions.metadata["seed"].flatMap { UInt64($0) })
        let explanations = Explanations(network: model, digits: digits, testImages: mnist.test.images(0..<20), seed: seed)
        let attributions = explanations.attributionsFile(network: model, metadata: oldAttributions.metadata)
        #expect(attributions.encoded() == (try bytes("attributions.safetensors")))
        let prefix = explanations.faithfulnessFile(network: model, metadata: [:])
        for name in prefix.names where name != "indices" && name != "classes" {
            let (new, old) = (try #require(prefix[name]), try #require(oldFaithfulness[name]))
            let rows = new.shape[0] - (name.hasSuffix(".unrelated_spearman") ? 1 : 0), perRow = new.values.count / new.shape[0]
            #expect(new.values.prefix(rows * perRow).map(\.bitPattern) == old.values.prefix(rows * perRow).map(\.bitPattern),
                    "\(name): the first \(rows) rows")
        }
        #expect(prefix["classes"]?.integers == oldFaithfulness["classes"]?.integers.map { Array($0.prefix(20)) })

        let oldInvariance = try committed("invariance.safetensors")
        let invariance = Invariance(network: model, digits: digits, testImages: testImages).safetensors(metadata: oldInvariance.metadata)
        #expect(invariance.encoded() == (try bytes("invariance.safetensors")))
    }
}
