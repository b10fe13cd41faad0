import Foundation
import Testing
@testable import Analyses
import Deconvnet
import Network

@Suite struct ImageTransformTests {
    let picture = blobImages(1, seed: 50)

    func pixel(_ image: [Float], _ y: Int, _ x: Int) -> Float { image[y * 28 + x] }

    /// An integer shift moves every pixel exactly `rows` rows and fills the uncovered rows with 0.
    @Test(arguments: [-8, -3, 0, 1, 8, 27, 28, -30])
    func integerShiftMovesPixelsExactly(_ rows: Int) {
        let shifted = ImageTransform.verticalShift(rows: rows).apply(to: picture)
        for y in 0..<28 {
            for x in 0..<28 {
                let expected: Float = (0..<28).contains(y - rows) ? pixel(picture, y - rows, x) : 0
                #expect(pixel(shifted, y, x) == expected, "shift \(rows): (\(y), \(x))")
            }
        }
    }

    /// No turn, a full turn and a scale of 1 copy the image bit for bit; four quarter turns come
    /// back to it; a half turn mirrors both axes exactly about the centre.
    @Test func identitiesAndQuarterTurns() {
        #expect(ImageTransform.rotation(degrees: 0).apply(to: picture) == picture)
        #expect(ImageTransform.rotation(degrees: 360).apply(to: picture) == picture)
        #expect(ImageTransform.scale(factor: 1).apply(to: picture) == picture)
        var turned = picture
        for _ in 0..<4 { turned = ImageTransform.rotation(degrees: 90).apply(to: turned) }
        #expect(turned == picture)
        let half = ImageTransform.rotation(degrees: 180).apply(to: picture)
        #expect((0..<784).allSatisfy { half[$0] == picture[783 - $0] })
    }

    /// Counterclockwise on screen: a dot right of the centre goes above it; enlarging moves it outwards.
    @Test func directionsAndScale() {
        var dot = [Float](repeating: 0, count: 784)
        dot[13 * 28 + 21] = 1   // 7.5 columns right of the centre (13.5), half a row above it
        let turned = ImageTransform.rotation(degrees: 90).apply(to: dot)
        #expect(turned[6 * 28 + 13] == 1 && turned.reduce(0, +) == 1, "the dot should move to row 6, column 13")

        var block = [Float](repeating: 0, count: 784)
        for y in 12...15 { for x in 12...15 { block[y * 28 + x] = 1 } }   // 4 × 4 around the centre
        let doubled = ImageTransform.scale(factor: 2).apply(to: block)
        // Output (y, x) reads the input at 13.5 + (p − 13.5) / 2: rows 10…17 read 11.75…15.25.
        #expect((10...17).allSatisfy { doubled[$0 * 28 + 13] > 0 } && doubled[8 * 28 + 13] == 0 && doubled[19 * 28 + 13] == 0)
        let (area, original): (Float, Float) = (doubled.reduce(0, +), block.reduce(0, +))
        #expect(area == 4 * original, "bilinear weights sum to the area: 8 × 8 of 1 from 4 × 4")
    }

    /// Bilinear weights, and zero beyond the border.
    @Test func bilinearSamplingWithZeroFill() {
        var image = [Float](repeating: 0, count: 784)
        image[0] = 1; image[1] = 3; image[28] = 5; image[29] = 7
        let expected: Float = 3.5   // 0.5 · (0.75 · 1 + 0.25 · 3) + 0.5 · (0.75 · 5 + 0.25 · 7)
        #expect(ImageTransform.sample(image, y: 0.5, x: 0.25) == expected)
        #expect(ImageTransform.sample(image, y: -0.5, x: 0) == 0.5)
        #expect(ImageTransform.sample(image, y: -1, x: 0) == 0)
        #expect(ImageTransform.sample(image, y: 1, x: 1) == 7)
    }
}

@Suite struct InvarianceTests {
    let model = LeNet5(seed: 51)
    let testImages = blobImages(20, seed: 53)
    var digits: [DigitImage] {
        let images = blobImages(2, seed: 51)
        return [DigitImage(digit: 3, testIndex: 30, image: image(0, of: images)), DigitImage(digit: 8, testIndex: 80, image: image(1, of: images))]
    }

    /// A shift by 0 and a full turn give distance 0 (within 1e-6: the fully connected layers'
    /// sums may depend on a row's place in the batch) and the original's probability.
    @Test func identityTransformsGiveDistanceZero() {
        let invariance = Invariance(network: model.network, digits: digits, testImages: testImages)
        for d in invariance.digits {
            let original = model.forward(images: d.image.image)
            let probability = exp(original.logProbabilities[d.image.digit])
            let identities: [(Invariance.Transform, Double)] = [(.translation, 0), (.rotation, 0), (.rotation, 360), (.scale, 1)]
            for (t, parameter) in identities {
                let i = t.parameters.firstIndex(of: parameter)!, curves = d.curves[t]!
                #expect(curves.lowDistance[i] == 0, "\(t) \(parameter): pool1 distance \(curves.lowDistance[i])")
                #expect(curves.highDistance[i] <= 1e-6, "\(t) \(parameter): fc2 distance \(curves.highDistance[i])")
                expectClose([curves.probability[i]], [probability], tolerance: 1e-6, "\(t) \(parameter): probability")
            }
        }
    }

    /// Every measure of the batched pass against one transformed image at a time and the Double
    /// distance of the single passes. Tolerance 1e-5 relative.
    @Test func batchedAgreesWithOneImageAtATime() {
        let invariance = Invariance(network: model.network, digits: digits, testImages: testImages)
        let d = invariance.digits[1]
        // pool1 and fc2 after its ReLU.
        let (pool1, fc2) = (2, 10)
        let original = model.network.forward(images: d.image.image, keeping: [pool1, fc2], threads: 1)
        for t in Invariance.Transform.allCases {
            for i in [0, 3, t.parameters.count - 2] {
                let single = model.network.forward(images: t.transform(t.parameters[i]).apply(to: d.image.image), keeping: [pool1, fc2], threads: 1)
                let distance = { (a: [Float], b: [Float]) in Float(zip(a, b).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()) }
                let curves = d.curves[t]!
                expectClose([curves.lowDistance[i]], [distance(single.outputs[pool1]!, original.outputs[pool1]!)], tolerance: 1e-5, "\(t)[\(i)] pool1")
                expectClose([curves.highDistance[i]], [distance(single.outputs[fc2]!, original.outputs[fc2]!)], tolerance: 1e-5, "\(t)[\(i)] fc2")
                expectClose([curves.probability[i]], [exp(single.logProbabilities[8])], tolerance: 1e-5, "\(t)[\(i)] probability")
            }
        }
        #expect(invariance.digits[0].curves[.translation]!.lowDistance[0] > 0, "a shift by 8 rows changes pool1")
    }

    @Test func exportHasTheIssuesKeysAndShapes() throws {
        let invariance = Invariance(network: model.network, digits: digits, testImages: testImages)
        let file = try Safetensors.decode(invariance.safetensors().encoded(), path: "invariance")
        #expect(Invariance.Transform.translation.parameters == (-8...8).map(Double.init))
        #expect(Invariance.Transform.scale.parameters.first == 0.6 && Invariance.Transform.scale.parameters.last == 1.4)
        #expect(Invariance.Transform.rotation.parameters.count == 37)
        var expected = ["baseline.pairs", "baseline.low_distance", "baseline.high_distance", "baseline.low", "baseline.high"]
        for t in ["translation", "scale", "rotation"] {
            let n = Invariance.Transform(rawValue: t)!.parameters.count
            expected.append("\(t).parameters")
            #expect(file["\(t).parameters"]?.shape == [n])
            for d in [3, 8] {
                for measure in ["low_distance", "high_distance", "low_normalised", "high_normalised", "probability"] {
                    expected.append("digit\(d).\(t).\(measure)")
                    #expect(file["digit\(d).\(t).\(measure)"]?.shape == [n])
                }
            }
        }
        #expect(Set(file.names) == Set(expected) && file.names.count == expected.count)
        #expect(file.metadata["digits"] == "3,8" && file.metadata["digit8.test_index"] == "80")
        #expect(file.metadata["low_layer"] == "conv1" && file.metadata["high_layer"] == "fc2")
        #expect(file.metadata["low_distance"] == "Euclidean distance to the original's conv1 block output (6, 14, 14)")
        #expect(file.metadata["high_distance"] == "Euclidean distance to the original's fc2 output after ReLU (84)")
        #expect(file["baseline.pairs"]?.shape == [1000, 2] && file["baseline.low_distance"]?.shape == [1000])
        let first = invariance.baseline.pairs[0]
        #expect(file["baseline.pairs"]?.integers?.prefix(2).map(Int.init) == [first.0, first.1])
        #expect(file["baseline.low"]?.values == [invariance.baseline.low] && file["baseline.high"]?.values == [invariance.baseline.high])
        #expect(file["digit8.scale.high_normalised"]?.values == invariance.digits[1].curves[.scale]!.highNormalised)
    }

    /// Another network: the first block's output (conv1 after pooling) and the last hidden
    /// linear layer after its ReLU (fc1), against single passes through `Network.forward`.
    @Test func anyNetworkMeasuresItsFirstBlockAndLastHiddenLayer() {
        let network = otherNetwork(seed: 52)
        let invariance = Invariance(network: network, digits: digits, testImages: testImages)
        #expect(invariance.lowLayer == "conv1" && invariance.highLayer == "fc1")
        #expect(invariance.lowSize == 4 * 14 * 14 && invariance.highSize == 12)
        let (low, high) = (network.convolutionalLayers[0].outputLayer, network.lastHiddenLayer!)
        #expect(low == 2 && high == 10)
        let d = invariance.digits[0]
        let original = network.forward(images: d.image.image, keeping: [low, high])
        for t in Invariance.Transform.allCases {
            for i in [0, 5, t.parameters.count - 1] {
                let single = network.forward(images: t.transform(t.parameters[i]).apply(to: d.image.image), keeping: [low, high])
                let distance = { (a: [Float], b: [Float]) in Float(zip(a, b).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()) }
                let curves = d.curves[t]!
                expectClose([curves.lowDistance[i]], [distance(single.outputs[low]!, original.outputs[low]!)], tolerance: 1e-5, "\(t)[\(i)] low")
                expectClose([curves.highDistance[i]], [distance(single.outputs[high]!, original.outputs[high]!)], tolerance: 1e-5, "\(t)[\(i)] high")
                expectClose([curves.probability[i]], [exp(single.logProbabilities[3])], tolerance: 1e-5, "\(t)[\(i)] probability")
                #expect(curves.predicted[i] == single.predictions[0])
            }
        }
    }

    /// The baseline's pairs: `pairCount` of them, each of two distinct images, the same every run;
    /// with two images both orders occur.
    @Test func baselinePairsAreDistinctAndSeeded() {
        let pairs = Invariance.Baseline.pairs(among: 20)
        #expect(pairs.count == 1000 && pairs.allSatisfy { $0.0 != $0.1 && (0..<20).contains($0.0) && (0..<20).contains($0.1) })
        #expect(pairs.map { [$0.0, $0.1] } == Invariance.Baseline.pairs(among: 20).map { [$0.0, $0.1] })
        #expect(Set(pairs.map(\.0)).count == 20 && Set(pairs.map(\.1)).count == 20)
        #expect(Set(Invariance.Baseline.pairs(among: 2).map { [$0.0, $0.1] }) == [[0, 1], [1, 0]])
    }

    /// Each baseline is the mean of its pairs' distances, which single passes give too (1e-5
    /// relative); identical test images are no distance apart (fc2 within 1e-6, as above).
    @Test func baselineIsTheMeanDistanceBetweenPairs() {
        let (pool1, fc2) = (2, 10)
        let baseline = Invariance.Baseline(network: model.network, testImages: testImages, low: pool1, high: fc2, threads: 2)
        #expect(baseline.low == Invariance.Baseline.mean(baseline.lowDistances))
        #expect(baseline.high == Invariance.Baseline.mean(baseline.highDistances))
        let distance = { (a: [Float], b: [Float]) in Float(zip(a, b).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()) }
        for k in [0, 999] {
            let (i, j) = baseline.pairs[k]
            let (a, b) = (model.network.forward(images: image(i, of: testImages), keeping: [pool1, fc2], threads: 1),
                          model.network.forward(images: image(j, of: testImages), keeping: [pool1, fc2], threads: 1))
            expectClose([baseline.lowDistances[k]], [distance(a.outputs[pool1]!, b.outputs[pool1]!)], tolerance: 1e-5, "pair \(k) pool1")
            expectClose([baseline.highDistances[k]], [distance(a.outputs[fc2]!, b.outputs[fc2]!)], tolerance: 1e-5, "pair \(k) fc2")
        }
        let copies = Array(repeating: image(0, of: testImages), count: 3).flatMap { $0 }
        let same = Invariance.Baseline(network: model.network, testImages: copies, low: pool1, high: fc2, threads: 2)
        #expect(same.low == 0 && same.high <= 1e-6, "identical images: \(same.low), \(same.high)")
    }

    /// A distance equal to the baseline normalises to 1: when the test set is just a digit and its
    /// shift by 8 rows, every pair is those two, and the baseline is the distance at +8 (1e-5).
    @Test func aDistanceEqualToTheBaselineIsOne() {
        let d = digits[0], shifts = Invariance.Transform.translation.parameters
        let shifted = Invariance.Transform.translation.transform(8).apply(to: d.image)
        let invariance = Invariance(network: model.network, digits: [d], testImages: d.image + shifted)
        let curves = invariance.digits[0].curves[.translation]!, i = shifts.firstIndex(of: 8)!
        expectClose([curves.lowNormalised[i], curves.highNormalised[i]], [1, 1], tolerance: 1e-5, "normalised distances at +8")
        #expect(curves.lowNormalised == curves.lowDistance.map { $0 / invariance.baseline.low })
        #expect(curves.highNormalised == curves.highDistance.map { $0 / invariance.baseline.high })
    }

    /// One convolutional and one linear layer: both distances are the block output's, so the
    /// layers are not compared.
    @Test func oneOutputIsNotComparedWithItself() throws {
        let kinds: [Layer.Kind] = [.convolution(outChannels: 2, kernel: 5, stride: 1, padding: 2), .relu, .maxPool(kernel: 2, stride: 2),
                                   .flatten, .linear(outFeatures: 10)]
        var random = SplitMix64(seed: 54)
        let parameters = (0..<(2 * 25 + 2 + 392 * 10 + 10)).map { _ in random.nextUnitFloat() - 0.5 }
        let network = try Network(imageHeight: 28, imageWidth: 28, kinds: kinds, parameters: parameters)
        let invariance = Invariance(network: network, digits: digits, testImages: testImages)
        #expect(invariance.lowLayer == "conv1" && invariance.highLayer == "conv1" && invariance.findings.layers.isEmpty)
        #expect(Invariance(network: model.network, digits: digits, testImages: testImages).findings.layers.count == 3)
    }
}
