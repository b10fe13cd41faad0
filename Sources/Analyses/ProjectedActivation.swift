import Deconvnet
import Network

/// One image's strongest activation in one map, and its deconvnet projection to pixel space.
public struct ProjectedActivation: Sendable {
    public let layer: ConvLayer
    public let map: Int
    public let testIndex: Int
    /// The map's largest pooled activation in this image.
    public let score: Float
    /// Where that activation is in the pooled map (the first largest in row-major order, the unit
    /// the deconvnet's strongest mode keeps), and the input pixels it sees.
    public let unitY: Int, unitX: Int
    public let receptiveField: ReceptiveField
    /// 28 × 28, uncropped: the projection of that single activation.
    public let reconstruction: [Float]

    /// Projects, for each request, the strongest unit of a map in one of `images` (784 floats
    /// each), with one batched pass over the images the requests name.
    static func project(_ requests: [(layer: ConvLayer, map: Int, image: Int)], model: LeNet5, images: [Float], threads: Int) -> [ProjectedActivation] {
        let distinct = Array(Set(requests.map(\.image))).sorted()
        let row = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        let side = LeNet5.inputCount
        let pass = model.activations(images: distinct.flatMap { images[($0 * side)..<(($0 + 1) * side)] },
                                     keeping: [.pool1, .pool2, .switches], threads: threads)
        let activations = distinct.indices.map { PoolActivations(pass, image: $0) }
        let deconvnet = Deconvnet(model: model)
        // Each projection is a few small convolutions; they run side by side.
        return parallelMap(requests.count, threads: threads) { i in
            ProjectedActivation(requests[i].layer, map: requests[i].map, testIndex: requests[i].image,
                                activations: activations[row[requests[i].image]!], deconvnet: deconvnet)
        }
    }

    /// The strongest unit of `map` of `layer` in one image's pool outputs, projected.
    init(_ layer: ConvLayer, map: Int, testIndex: Int, activations: PoolActivations, deconvnet: Deconvnet) {
        let pool = layer.pool, plane = pool.outputHeight * pool.outputWidth
        let pooled = activations.pooled(layer)
        let range = (map * plane)..<((map + 1) * plane)
        let strongest = range.max { pooled[$0] < pooled[$1] }! - range.lowerBound   // the first largest, as Deconvnet.keep
        (self.layer, self.map, self.testIndex, score) = (layer, map, testIndex, pooled[range.lowerBound + strongest])
        (unitY, unitX) = (strongest / pool.outputWidth, strongest % pool.outputWidth)
        receptiveField = ReceptiveField(layer, y: unitY, x: unitX)
        reconstruction = deconvnet.reconstruct(layer, map: map, of: activations, mode: .strongest)
    }
}
