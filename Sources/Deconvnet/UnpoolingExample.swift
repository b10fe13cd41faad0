import Network

/// A corner of a real map before the network's first max-pooling, its 2 × 2 pooled output with
/// switches, and its unpooling, for the writeup's worked example.
public struct UnpoolingExample: Sendable {
    public let digit: Int
    /// The convolutional layer whose block the pooling belongs to, and the map.
    public let layer: ConvolutionalLayer
    public let map: Int
    public let top: Int, left: Int
    /// The patch's side: two windows of the pooling across.
    public let side: Int
    public let patch: [Float]       // side × side, the pooling's input (after ReLU)
    public let pooled: [Float]      // 2 × 2
    public let switches: Set<Int>   // where in the patch the maxima were
    public let unpooled: [Float]    // side × side, the pooled values put back at their switches

    /// Picks, before the first max-pooling whose windows do not overlap, the map and the 2 × 2
    /// windows (aligned with the pooling grid) whose smallest pooled value is largest: four active
    /// windows, whose switches are easy to follow. nil when the network has no such pooling.
    public init?(digit: Int, image: [Float], network: Network) {
        guard let poolLayer = network.layers.indices.first(where: { i in
            if case .maxPool(let p) = network.layers[i] { p.kernel == p.stride && p.outputHeight >= 2 && p.outputWidth >= 2 } else { false }
        }), case .maxPool(let pool) = network.layers[poolLayer],
            let layer = network.convolutionalLayers.last(where: { $0.layer < poolLayer }) else { return nil }
        let pass = network.forward(images: image, keeping: [poolLayer - 1, poolLayer], switches: true, classifier: false)
        let (width, pooledWidth, s) = (pool.inputWidth, pool.outputWidth, pool.stride)
        let input = pass.outputs[poolLayer - 1]!, output = pass.outputs[poolLayer]!, switchValues = pass.switches[poolLayer]!
        let (inputPlane, outputPlane) = (pool.inputHeight * width, pool.outputHeight * pooledWidth)
        var best = (score: -Float.infinity, map: 0, y: 0, x: 0)
        for map in 0..<pool.channels {
            for y in 0..<(pool.outputHeight - 1) {
                for x in 0..<(pooledWidth - 1) {
                    let score = [0, 1].flatMap { dy in
                        [0, 1].map { dx in output[map * outputPlane + (y + dy) * pooledWidth + x + dx] }
                    }.min()!
                    if score > best.score { best = (score, map, y, x) }
                }
            }
        }
        let (map, top, left) = (best.map, best.y * s, best.x * s)
        let side = 2 * s
        (self.digit, self.layer, self.map, self.top, self.left, self.side) = (digit, layer, map, top, left, side)
        let units = (0..<4).map { map * outputPlane + (best.y + $0 / 2) * pooledWidth + best.x + $0 % 2 }
        let crop = { (values: (Int) -> Float) in (0..<(side * side)).map { values((top + $0 / side) * width + left + $0 % side) } }
        patch = crop { input[map * inputPlane + $0] }
        pooled = units.map { output[$0] }
        let positions = units.map { Int(switchValues[$0]) }
        unpooled = crop { at in positions.firstIndex(of: at).map { output[units[$0]] } ?? 0 }
        switches = Set(positions.map { ($0 / width - top) * side + ($0 % width - left) })
    }
}
