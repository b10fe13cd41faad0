import Network

/// A 4 × 4 corner of a real conv1 map, its 2 × 2 pooled output with switches, and its unpooling,
/// for the writeup's worked example.
public struct UnpoolingExample: Sendable {
    public let digit: Int
    public let map: Int
    public let top: Int, left: Int
    public let patch: [Float]       // 4 × 4, conv1 after ReLU
    public let pooled: [Float]      // 2 × 2, from pool1
    public let switches: Set<Int>   // where in the patch the maxima were
    public let unpooled: [Float]    // 4 × 4, from DeconvOperations.unpool of the whole map

    /// Picks the conv1 map and 4 × 4 window (aligned with the pooling grid) whose smallest pooled
    /// value is largest: four active windows, whose switches are easy to follow.
    public init(digit: Int, image: [Float], model: LeNet5) {
        let pass = model.forward(images: image)
        let (side, pooledSide) = (LeNet5.conv1.outputHeight, LeNet5.pool1.outputHeight)
        var best = (score: -Float.infinity, map: 0, top: 0, left: 0)
        for map in 0..<LeNet5.conv1.outChannels {
            for top in stride(from: 0, through: side - 4, by: 2) {
                for left in stride(from: 0, through: side - 4, by: 2) {
                    let values = [0, 1].flatMap { dy in [0, 1].map { dx in pass.pool1[(map * pooledSide + top / 2 + dy) * pooledSide + left / 2 + dx] } }
                    let score = values.min()!
                    if score > best.score { best = (score, map, top, left) }
                }
            }
        }
        let (map, top, left) = (best.map, best.top, best.left)
        (self.digit, self.map, self.top, self.left) = (digit, map, top, left)
        let plane = Array(pass.conv1[(map * side * side)..<((map + 1) * side * side)])
        let pooledPlane = Array(pass.pool1[(map * pooledSide * pooledSide)..<((map + 1) * pooledSide * pooledSide)])
        let switchPlane = Array(pass.pool1Switches[(map * pooledSide * pooledSide)..<((map + 1) * pooledSide * pooledSide)])
        let unpooledPlane = DeconvOperations.unpool(pooledPlane, switches: switchPlane,
                                                    pool: MaxPool2D(channels: 1, inputHeight: side, inputWidth: side))
        let crop = { (values: [Float]) in (0..<16).map { values[(top + $0 / 4) * side + left + $0 % 4] } }
        patch = crop(plane)
        unpooled = crop(unpooledPlane)
        pooled = (0..<4).map { pooledPlane[(top / 2 + $0 / 2) * pooledSide + left / 2 + $0 % 2] }
        switches = Set((0..<4).map { i -> Int in
            let s = Int(switchPlane[(top / 2 + i / 2) * pooledSide + left / 2 + i % 2])
            return (s / side - top) * 4 + (s % side - left)
        })
    }
}
