import Foundation
import Testing
@testable import Analyses
import Deconvnet
import Network

@Suite struct OcclusionTests {
    let model = LeNet5(seed: 61)
    var digits: [DigitImage] {
        let images = blobImages(2, seed: 61)
        return [DigitImage(digit: 0, testIndex: 3, image: image(0, of: images)), DigitImage(digit: 5, testIndex: 8, image: image(1, of: images))]
    }

    /// The square covers |y − r| ≤ 3 and |x − c| ≤ 3, clipped: 16 pixels at a corner, 28 along an
    /// edge, 49 inside; `occlude` changes exactly those.
    @Test func maskAtTheBorders() {
        #expect(Occlusion.covered(row: 0, column: 0) == (0...3, 0...3))
        #expect(Occlusion.covered(row: 27, column: 27) == (24...27, 24...27))
        #expect(Occlusion.covered(row: 3, column: 3) == (0...6, 0...6))
        #expect(Occlusion.covered(row: 13, column: 0) == (10...16, 0...3))
        #expect(Occlusion.covered(row: 1, column: 26) == (0...4, 23...27))
        let image = [Float](repeating: 1, count: 784)
        for (r, c, count) in [(0, 0, 16), (27, 27, 16), (0, 27, 16), (13, 0, 28), (27, 13, 28), (3, 3, 49), (14, 20, 49), (2, 25, 36)] {
            let occluded = Occlusion.occlude(image, row: r, column: c, fill: 0.25)
            let changed = (0..<784).filter { occluded[$0] != 1 }
            #expect(changed.count == count, "centre (\(r), \(c))")
            #expect(changed.allSatisfy { abs($0 / 28 - r) <= 3 && abs($0 % 28 - c) <= 3 && occluded[$0] == 0.25 }, "centre (\(r), \(c))")
        }
    }

    @Test func meanPixel() {
        #expect(Occlusion.meanPixel([0, 255, 51]) == 0.4)
        #expect(Occlusion.meanPixel([255, 255]) == 1)
    }

    /// The maps against single occluded images through `forward(images:)`; the chosen map is the
    /// one with the largest total on the unoccluded image. Activations exact (the convolutional
    /// part does not depend on the batch), probabilities within 1e-5 relative.
    @Test func batchedAgreesWithOneImageAtATime() {
        let occlusion = Occlusion(network: model.network, digits: digits, fill: 0.13)
        for d in occlusion.digits {
            let unoccluded = model.forward(images: d.image.image)
            let totals = (0..<16).map { unoccluded.pool2[($0 * 25)..<(($0 + 1) * 25)].reduce(0, +) }
            #expect(d.map == totals.indices.max { totals[$0] < totals[$1] }!)
            #expect(d.unoccludedActivation == totals[d.map])
            #expect(d.layer == conv2)
            #expect(d.projection.reconstruction == Deconvnet(network: model.network).reconstruct(conv2, map: d.map, of: tracePass(model.network, d.image.image), mode: .strongest))
            #expect(d.projection.layer == conv2 && d.projection.map == d.map && d.projection.testIndex == d.image.testIndex)
            #expect(d.activation.count == 784 && d.probability.count == 784 && d.label.count == 784)
            for (r, c) in [(0, 0), (27, 27), (13, 14), (5, 22)] {
                let pass = model.forward(images: Occlusion.occlude(d.image.image, row: r, column: c, fill: 0.13))
                let total = pass.pool2[(d.map * 25)..<((d.map + 1) * 25)].reduce(0, +)
                #expect(d.activation[r * 28 + c] == total, "(\(r), \(c)) activation")
                expectClose([d.probability[r * 28 + c]], [exp(pass.logProbabilities[d.image.digit])], tolerance: 1e-5, "(\(r), \(c)) probability")
                #expect(d.label[r * 28 + c] == pass.predictions[0], "(\(r), \(c)) label")
            }
            #expect(Set(d.activation).count > 1, "occluding somewhere should change the map")
        }
    }

    @Test func exportHasTheIssuesKeysAndShapes() throws {
        let occlusion = Occlusion(network: model.network, digits: digits, fill: 0.13)
        let file = try Safetensors.decode(occlusion.safetensors(metadata: ["model": "m"]).encoded(), path: "occlusion")
        #expect(Set(file.names) == ["digit0.activation", "digit0.probability", "digit0.label",
                                    "digit5.activation", "digit5.probability", "digit5.label"])
        for d in occlusion.digits {
            let key = "digit\(d.image.digit)"
            #expect(file["\(key).activation"]?.shape == [28, 28] && file["\(key).probability"]?.shape == [28, 28])
            #expect(file["\(key).label"]?.shape == [28, 28] && file["\(key).label"]?.integers == d.label.map(Int64.init))
            #expect(file.metadata["\(key).map"] == "\(d.map)")
        }
        #expect(file.metadata["fill"] == "0.13" && file.metadata["patch"] == "7" && file.metadata["model"] == "m")
        #expect(file.metadata["digits"] == "0,5" && file.metadata["digit5.test_index"] == "8")
        #expect(file.metadata["activation"] == "sum of the pooled conv2 map strongest on the unoccluded image")
    }

    /// Another network: the map is the last convolutional layer's (conv3, average-pooled) strongest,
    /// and every measure agrees with single passes through `Network.forward`.
    @Test func anyNetworkUsesItsLastConvolutionalLayer() {
        let network = otherNetwork(seed: 62), last = network.convolutionalLayers[2]
        let occlusion = Occlusion(network: network, digits: [digits[0]], fill: 0.13)
        let d = occlusion.digits[0]
        #expect(d.layer == last && d.layer.name == "conv3" && d.projection.layer == last)
        let plane = last.mapPlane
        let unoccluded = network.forward(images: d.image.image, keeping: [last.outputLayer]).outputs[last.outputLayer]!
        let totals = (0..<last.maps).map { unoccluded[($0 * plane)..<(($0 + 1) * plane)].reduce(0, +) }
        #expect(d.map == totals.indices.max { totals[$0] < totals[$1] }! && d.unoccludedActivation == totals[d.map])
        #expect(d.projection.reconstruction == Deconvnet(network: network).reconstruct(last, map: d.map, of: tracePass(network, d.image.image),
                                                                                       mode: .strongest))
        for (r, c) in [(0, 0), (13, 14), (27, 3)] {
            let pass = network.forward(images: Occlusion.occlude(d.image.image, row: r, column: c, fill: 0.13), keeping: [last.outputLayer])
            #expect(d.activation[r * 28 + c] == pass.outputs[last.outputLayer]![(d.map * plane)..<((d.map + 1) * plane)].reduce(0, +))
            expectClose([d.probability[r * 28 + c]], [exp(pass.logProbabilities[0])], tolerance: 1e-5, "(\(r), \(c)) probability")
            #expect(d.label[r * 28 + c] == pass.predictions[0])
        }
        let file = occlusion.safetensors()
        #expect(file.metadata["activation"] == "sum of the pooled conv3 map strongest on the unoccluded image")
        _ = occlusion.findings
    }
}
