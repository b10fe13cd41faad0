import Testing
@testable import Analyses
import Deconvnet
import Network

@Suite struct ReceptiveFieldTests {
    func clipped(_ first: Int, _ last: Int) -> Range<Int> { max(first, 0)..<min(last + 1, 28) }

    /// The arithmetic: pool1 (y, x) sees rows 2y − 2 … 2y + 3, pool2 (y, x) rows 4y − 2 …
    /// 4y + 13, columns alike, clipped; derived in the code from kernels, strides and padding.
    @Test func followsTheArithmetic() {
        for y in 0..<14 {
            for x in 0..<14 {
                let expected = ReceptiveField(rows: clipped(2 * y - 2, 2 * y + 3), columns: clipped(2 * x - 2, 2 * x + 3))
                #expect(ReceptiveField(.conv1, y: y, x: x) == expected)
            }
        }
        for y in 0..<5 {
            for x in 0..<5 {
                let expected = ReceptiveField(rows: clipped(4 * y - 2, 4 * y + 13), columns: clipped(4 * x - 2, 4 * x + 13))
                #expect(ReceptiveField(.conv2, y: y, x: x) == expected)
            }
        }
        #expect(ReceptiveField.inputSpan(of: 5...5, below: .conv1).count == 6)
        #expect(ReceptiveField.inputSpan(of: 2...2, below: .conv2).count == 16)
        // Corners and the middle, by hand.
        #expect(ReceptiveField(.conv1, y: 0, x: 13) == ReceptiveField(rows: 0..<4, columns: 24..<28))
        #expect(ReceptiveField(.conv2, y: 0, x: 4) == ReceptiveField(rows: 0..<14, columns: 14..<28))
        #expect(ReceptiveField(.conv2, y: 2, x: 1) == ReceptiveField(rows: 6..<22, columns: 2..<18))
    }

    @Test func cropsRowMajor() {
        let image = (0..<784).map(Float.init)
        let field = ReceptiveField(.conv1, y: 0, x: 13)
        #expect(field.crop(image) == [24, 25, 26, 27, 52, 53, 54, 55, 80, 81, 82, 83, 108, 109, 110, 111])
        #expect(ReceptiveField(.conv2, y: 2, x: 2).crop(image).count == 256)
    }

    /// What the field claims, checked on the network: a pooled unit keeps its value, bit for bit,
    /// when every pixel outside its field is replaced; and a strongest-unit projection is zero
    /// outside the field of the unit it projects.
    @Test(arguments: ConvLayer.allCases)
    func nothingOutsideTheFieldMatters(_ layer: ConvLayer) {
        let model = LeNet5(seed: 41), images = blobImages(2, seed: 41)
        let (x, other) = (image(0, of: images), image(1, of: images))
        let pool = layer.pool, plane = pool.outputHeight * pool.outputWidth
        let original = PoolActivations(model.forward(images: x), image: 0).pooled(layer)
        var spliced = [Float]()
        for unit in 0..<plane {
            let field = ReceptiveField(layer, y: unit / pool.outputWidth, x: unit % pool.outputWidth)
            spliced += (0..<784).map { field.contains(y: $0 / 28, x: $0 % 28) ? x[$0] : other[$0] }
        }
        let pass = model.activations(images: spliced, keeping: [.pool1, .pool2])
        for unit in 0..<plane {
            let pooled = layer == .conv1 ? pass.pool1 : pass.pool2
            for c in 0..<layer.maps {
                #expect(pooled[(unit * layer.maps + c) * plane + unit] == original[c * plane + unit], "\(layer) map \(c) unit \(unit)")
            }
        }

        let deconvnet = Deconvnet(model: model), activations = PoolActivations(model.forward(images: x), image: 0)
        for map in 0..<layer.maps {
            let projected = ProjectedActivation.project([(layer, map, 0)], model: model, images: x, threads: 1)[0]
            #expect(projected.reconstruction == deconvnet.reconstruct(layer, map: map, of: activations, mode: .strongest))
            let outside = (0..<784).filter { !projected.receptiveField.contains(y: $0 / 28, x: $0 % 28) && projected.reconstruction[$0] != 0 }
            #expect(outside.isEmpty, "\(layer) map \(map): \(outside.count) nonzero pixels outside the field")
            #expect(projected.score == 0 || projected.reconstruction.contains { $0 != 0 }, "\(layer) map \(map) projects nothing")
        }
    }
}
