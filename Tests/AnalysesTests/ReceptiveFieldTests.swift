import Testing
@testable import Analyses
import Deconvnet
import Network

@Suite struct ReceptiveFieldTests {
    let lenet = LeNet5(seed: 41).network

    func clipped(_ first: Int, _ last: Int) -> Range<Int> { max(first, 0)..<min(last + 1, 28) }

    /// The arithmetic: pool1 (y, x) sees rows 2y − 2 … 2y + 3, pool2 (y, x) rows 4y − 2 …
    /// 4y + 13, columns alike, clipped; derived in the code from kernels, strides and padding.
    @Test func followsTheArithmetic() {
        for y in 0..<14 {
            for x in 0..<14 {
                let expected = ReceptiveField(rows: clipped(2 * y - 2, 2 * y + 3), columns: clipped(2 * x - 2, 2 * x + 3))
                #expect(ReceptiveField(network: lenet, layer: conv1, y: y, x: x) == expected)
            }
        }
        for y in 0..<5 {
            for x in 0..<5 {
                let expected = ReceptiveField(rows: clipped(4 * y - 2, 4 * y + 13), columns: clipped(4 * x - 2, 4 * x + 13))
                #expect(ReceptiveField(network: lenet, layer: conv2, y: y, x: x) == expected)
            }
        }
        #expect(ReceptiveField.inputSpan(of: 5...5, network: lenet, top: conv1.outputLayer).count == 6)
        #expect(ReceptiveField.inputSpan(of: 2...2, network: lenet, top: conv2.outputLayer).count == 16)
        // Corners and the middle, by hand.
        #expect(ReceptiveField(network: lenet, layer: conv1, y: 0, x: 13) == ReceptiveField(rows: 0..<4, columns: 24..<28))
        #expect(ReceptiveField(network: lenet, layer: conv2, y: 0, x: 4) == ReceptiveField(rows: 0..<14, columns: 14..<28))
        #expect(ReceptiveField(network: lenet, layer: conv2, y: 2, x: 1) == ReceptiveField(rows: 6..<22, columns: 2..<18))
    }

    /// The other network, by hand: conv1 (3 × 3, padding 1) and a 2 × 2 pool: unit y sees rows
    /// 2y − 1 … 2y + 2; conv2 (3 × 3, stride 2, padding 1) on that: pool rows 2y − 1 … 2y + 1,
    /// so 4y − 3 … 4y + 4; conv3 (3 × 3) and a 2 × 2 average pool of stride 1: conv2 rows
    /// y … y + 3, so 4y − 3 … 4y + 16.
    @Test func followsTheArithmeticOfAnyNetwork() {
        let network = otherNetwork(seed: 40), layers = network.convolutionalLayers
        #expect(layers.map(\.outputShape) == [[4, 14, 14], [6, 7, 7], [8, 4, 4]])
        #expect(ReceptiveField.unclipped(network: network, layer: layers[0], y: 3, x: 0) == (5...8, -1...2))
        #expect(ReceptiveField.unclipped(network: network, layer: layers[1], y: 2, x: 6) == (5...12, 21...28))
        #expect(ReceptiveField.unclipped(network: network, layer: layers[2], y: 1, x: 0) == (1...20, -3...16))
        #expect(ReceptiveField(network: network, layer: layers[2], y: 3, x: 0) == ReceptiveField(rows: 9..<28, columns: 0..<17))
    }

    @Test func cropsRowMajor() {
        let image = (0..<784).map(Float.init)
        let field = ReceptiveField(network: lenet, layer: conv1, y: 0, x: 13)
        #expect(field.crop(image, width: 28) == [24, 25, 26, 27, 52, 53, 54, 55, 80, 81, 82, 83, 108, 109, 110, 111])
        #expect(ReceptiveField(network: lenet, layer: conv2, y: 2, x: 2).crop(image, width: 28).count == 256)
    }

    /// What the field claims, checked on the network: a block-output unit keeps its value, bit for
    /// bit, when every pixel outside its field is replaced; and a strongest-unit projection is
    /// zero outside the field of the unit it projects.
    func nothingOutsideTheFieldMatters(_ network: Network, _ layer: ConvolutionalLayer) {
        let images = blobImages(2, seed: 41)
        let (x, other) = (image(0, of: images), image(1, of: images))
        let width = layer.outputShape[2], plane = layer.mapPlane
        let original = network.forward(images: x, keeping: [layer.outputLayer], classifier: false).outputs[layer.outputLayer]!
        var spliced = [Float]()
        for unit in 0..<plane {
            let field = ReceptiveField(network: network, layer: layer, y: unit / width, x: unit % width)
            spliced += (0..<784).map { field.contains(y: $0 / 28, x: $0 % 28) ? x[$0] : other[$0] }
        }
        let output = network.forward(images: spliced, keeping: [layer.outputLayer], classifier: false).outputs[layer.outputLayer]!
        for unit in 0..<plane {
            for c in 0..<layer.maps {
                #expect(output[(unit * layer.maps + c) * plane + unit] == original[c * plane + unit], "\(layer.name) map \(c) unit \(unit)")
            }
        }

        let deconvnet = Deconvnet(network: network), pass = tracePass(network, x)
        for map in 0..<layer.maps {
            let projected = ProjectedActivation.project([(layer, map, 0)], network: network, images: x, threads: 1)[0]
            #expect(projected.reconstruction == deconvnet.reconstruct(layer, map: map, of: pass, mode: .strongest))
            let outside = (0..<784).filter { !projected.receptiveField.contains(y: $0 / 28, x: $0 % 28) && projected.reconstruction[$0] != 0 }
            #expect(outside.isEmpty, "\(layer.name) map \(map): \(outside.count) nonzero pixels outside the field")
            #expect(projected.score == 0 || projected.reconstruction.contains { $0 != 0 }, "\(layer.name) map \(map) projects nothing")
        }
    }

    @Test(arguments: [0, 1])
    func nothingOutsideTheFieldMattersInLeNet5(_ layer: Int) {
        nothingOutsideTheFieldMatters(lenet, lenet.convolutionalLayers[layer])
    }

    /// Stride 2, a block without pooling, average pooling.
    @Test(arguments: [0, 1, 2])
    func nothingOutsideTheFieldMattersInAnyNetwork(_ layer: Int) {
        let network = otherNetwork(seed: 42)
        nothingOutsideTheFieldMatters(network, network.convolutionalLayers[layer])
    }
}
