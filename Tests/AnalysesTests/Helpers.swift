import Testing
import Network
import Deconvnet

/// `count` images of faint noise with a bright blob at a seeded place, 784 floats each.
func blobImages(_ count: Int, seed: UInt64) -> [Float] {
    var random = SplitMix64(seed: seed)
    var images = [Float]()
    for _ in 0..<count {
        var image = (0..<784).map { _ in 0.1 * random.nextUnitFloat() }
        let (top, left) = (Int(random.next() % 18), Int(random.next() % 18))
        for y in top..<(top + 10) { for x in left..<(left + 10) where (y + x) % 3 != 0 { image[y * 28 + x] = random.nextUnitFloat() } }
        images += image
    }
    return images
}

func image(_ i: Int, of images: [Float]) -> [Float] { Array(images[(i * 784)..<((i + 1) * 784)]) }

/// Expects |actual − expected| ≤ tolerance · max(1, |expected|) everywhere, naming the worst element.
func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var worst = (difference: Float(0), index: 0)
    for i in actual.indices {
        let d = abs(actual[i] - expected[i]) / max(1, abs(expected[i]))
        if !(d <= worst.difference) { worst = (d, i) }
    }
    let message = "\(what): worst relative difference \(worst.difference) at \(worst.index) "
        + "(\(actual[worst.index]) vs \(expected[worst.index])), tolerance \(tolerance)"
    #expect(worst.difference <= tolerance, "\(message)", sourceLocation: sourceLocation)
}

/// LeNet-5's two convolutional layers, as every LeNet-5's network has them.
let lenetLayers = LeNet5(seed: 0).network.convolutionalLayers
let conv1 = lenetLayers[0], conv2 = lenetLayers[1]
let lenetMaps = LeNet5(seed: 0).network.allMaps

/// One traced pass over `images`, reaching the last convolutional block: what a projection reads.
func tracePass(_ network: Network, _ images: [Float]) -> NetworkPass {
    network.trace(images: images, top: network.convolutionalLayers.last!.outputLayer)
}

/// Image `i`'s block output of `layer` (after its ReLU and pooling), from a pass that kept it.
func blockOutput(_ pass: NetworkPass, _ layer: ConvolutionalLayer, image i: Int = 0) -> [Float] {
    Array(pass.output(layer.outputLayer, image: i))
}

/// A network that is not LeNet-5: three convolutional layers (the second of stride 2 and without
/// pooling, the third average-pooled), two linear layers, seeded random weights.
func otherNetwork(seed: UInt64) -> Network {
    let kinds: [Layer.Kind] = [
        .convolution(outChannels: 4, kernel: 3, stride: 1, padding: 1), .relu, .maxPool(kernel: 2, stride: 2),   // 4 × 14 × 14
        .convolution(outChannels: 6, kernel: 3, stride: 2, padding: 1), .relu,                                   // 6 × 7 × 7
        .convolution(outChannels: 8, kernel: 3, stride: 1, padding: 0), .relu, .averagePool(kernel: 2, stride: 1), // 8 × 4 × 4
        .flatten, .linear(outFeatures: 12), .relu, .linear(outFeatures: 10),
    ]
    let count = 4 * 9 + 4 + 6 * 4 * 9 + 6 + 8 * 6 * 9 + 8 + 128 * 12 + 12 + 12 * 10 + 10
    var random = SplitMix64(seed: seed)
    let parameters = (0..<count).map { _ in (2 * random.nextUnitFloat() - 1) * 0.4 }
    return try! Network(imageHeight: 28, imageWidth: 28, kinds: kinds, parameters: parameters)
}
