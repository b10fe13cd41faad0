import Deconvnet
import Network

/// One image's strongest activation in one map, and its deconvnet projection to pixel space.
public struct ProjectedActivation: Sendable {
    public let layer: ConvolutionalLayer
    public let map: Int
    public let testIndex: Int
    /// The map's largest block-output activation (after ReLU and pooling) in this image.
    public let score: Float
    /// Where that activation is in the block's output map (the first largest in row-major order,
    /// the unit the deconvnet's strongest mode keeps), and the input pixels it sees.
    public let unitY: Int, unitX: Int
    public let receptiveField: ReceptiveField
    /// (1, H, W) uncropped: the projection of that single activation.
    public let reconstruction: [Float]

    init(layer: ConvolutionalLayer, map: Int, testIndex: Int, score: Float, unitY: Int, unitX: Int, receptiveField: ReceptiveField,
         reconstruction: [Float]) {
        (self.layer, self.map, self.testIndex, self.score) = (layer, map, testIndex, score)
        (self.unitY, self.unitX, self.receptiveField, self.reconstruction) = (unitY, unitX, receptiveField, reconstruction)
    }

    /// The same projection, of the image known by `testIndex`.
    func with(testIndex: Int) -> ProjectedActivation {
        ProjectedActivation(layer: layer, map: map, testIndex: testIndex, score: score, unitY: unitY, unitX: unitX,
                            receptiveField: receptiveField, reconstruction: reconstruction)
    }

    /// Projects, for each request, the strongest unit of a map in one of `images`
    /// (`network.inputCount` floats each), with one traced pass over the images the requests name
    /// and one batched projection per layer. Results in the order of the requests.
    public static func project(_ requests: [(layer: ConvolutionalLayer, map: Int, image: Int)], network: Network, images: [Float],
                               threads: Int = 2) -> [ProjectedActivation] {
        guard !requests.isEmpty else { return [] }
        let distinct = Array(Set(requests.map(\.image))).sorted()
        let row = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        let size = network.inputCount
        let top = requests.map(\.layer.outputLayer).max()!
        let pass = network.trace(images: distinct.flatMap { images[($0 * size)..<(($0 + 1) * size)] }, top: top, threads: threads)
        return project(requests, network: network, pass: pass, rows: requests.map { row[$0.image]! }, threads: threads)
    }

    /// The same, from a traced `pass` in which request j's image is image `rows[j]`.
    static func project(_ requests: [(layer: ConvolutionalLayer, map: Int, image: Int)], network: Network, pass: NetworkPass,
                        rows: [Int], threads: Int) -> [ProjectedActivation] {
        let deconvnet = Deconvnet(network: network)
        var results = [ProjectedActivation?](repeating: nil, count: requests.count)
        for layer in network.convolutionalLayers {
            let indices = requests.indices.filter { requests[$0].layer == layer }
            guard !indices.isEmpty else { continue }
            let projections = deconvnet.reconstruct(layer, indices.map { (requests[$0].map, rows[$0]) }, of: pass, mode: .strongest,
                                                    threads: threads)
            for (j, i) in indices.enumerated() {
                let output = pass.output(layer.outputLayer, image: rows[i])
                let plane = layer.mapPlane, first = output.startIndex + requests[i].map * plane
                let range = first..<(first + plane)
                // The first largest, as `Deconvnet.seed` keeps it.
                let strongest = range.max { output[$0] < output[$1] }! - first
                let (y, x) = (strongest / layer.outputShape[2], strongest % layer.outputShape[2])
                results[i] = ProjectedActivation(layer: layer, map: requests[i].map, testIndex: requests[i].image,
                                                 score: output[first + strongest], unitY: y, unitX: x,
                                                 receptiveField: ReceptiveField(network: network, layer: layer, y: y, x: x),
                                                 reconstruction: projections[j])
            }
        }
        return results.map { $0! }
    }
}
