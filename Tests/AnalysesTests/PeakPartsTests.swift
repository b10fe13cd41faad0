import Testing
@testable import Analyses
import Deconvnet
import Network

@Suite struct PeakPartsTests {
    /// The ink's bounding box, and the cell of a point in its thirds, clamped to the box.
    @Test func cellsAreThirdsOfTheInkBox() {
        var image = [Float](repeating: 0, count: 28 * 28)
        for y in 4..<10 { for x in 10..<19 { image[y * 28 + x] = 0.8 } }
        image[20 * 28 + 15] = 0.4   // lighter than ink: not part of the box
        let box = PeakParts.inkBox(image, width: 28)
        #expect(box.rows == 4..<10 && box.columns == 10..<19)
        #expect(PeakParts.cell(y: 4.5, x: 10.5, box: box) == 0, "upper left")
        #expect(PeakParts.cell(y: 5, x: 14.5, box: box) == 1, "top")
        #expect(PeakParts.cell(y: 7, x: 14.5, box: box) == 4, "centre: rows 6–8, columns 13–16 are the middle thirds")
        #expect(PeakParts.cell(y: 9.9, x: 18.9, box: box) == 8, "lower right")
        #expect(PeakParts.cell(y: -3, x: 40, box: box) == 2, "outside the box: the nearest cell")
        #expect(PeakParts.inkBox([Float](repeating: 0, count: 28 * 28), width: 28) == (0..<28, 0..<28), "no ink: the whole image")
        #expect(PeakParts.cells[PeakParts.cell(y: 9, x: 11, box: box)] == "lower left")
    }

    /// Each ranked image's peak is the unit the top-9 projections start from (the first largest
    /// block output), for LeNet-5 and for a network of three convolutional layers.
    @Test(arguments: [LeNet5(seed: 5).network, otherNetwork(seed: 9)])
    func peaksAreTheStrongestUnits(_ network: Network) {
        let images = blobImages(40, seed: 7)
        let top = TopActivations(network: network, testImages: images, count: 3)
        let parts = PeakParts(network: network, testImages: images, rankings: top.rankings.flatMap { $0 })
        for (index, (layer, map)) in network.allMaps.enumerated() {
            let best = top.maps(layer)[map]
            #expect(parts.units[index].prefix(3).map { [$0.row, $0.column] } == best.map { [$0.unitY, $0.unitX] }, "\(layer.name) map \(map)")
            #expect(parts.cellsOfImages[index].count == top.rankings[layer.number - 1][map].count)
        }
        var file = Safetensors(metadata: [:])
        parts.add(to: &file, network: network)
        let (first, firstMap) = network.allMaps[0]
        #expect(file["\(first.name).\(firstMap).peaks"]?.integers?.prefix(2).map(Int.init) == [parts.units[0][0].row, parts.units[0][0].column])
    }

    /// A map looks at one part when half its images peak in one cell, twice as often as its layer's.
    @Test func aMapLooksAtOnePartBeyondItsLayer() {
        let layer = LeNet5(seed: 1).network.convolutionalLayers[0]
        func map(_ shares: [Double], layerShare: Double) -> PeakParts.Map {
            PeakParts.Map(layer: layer, map: 0, shares: shares, cell: shares.indices.max { shares[$0] < shares[$1] }!, layerShare: layerShare)
        }
        let top = [0.1, 0.6, 0, 0, 0.3, 0, 0, 0, 0]
        #expect(map(top, layerShare: 0.2).prefersAPart && map(top, layerShare: 0.2).part == "top")
        #expect(!map(top, layerShare: 0.31).prefersAPart, "not twice the layer's share")
        #expect(!map([0.4, 0.3, 0.3, 0, 0, 0, 0, 0, 0], layerShare: 0.1).prefersAPart, "under half")
    }
}
