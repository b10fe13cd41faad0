/// How one image's pooled maps of one layer respond: each map's total activation, which maps
/// respond most and which are silent (all zero, so their reconstruction is blank).
public struct LayerResponse: Sendable, Equatable {
    public let layer: ConvLayer
    /// Each map's pooled units summed in order.
    public let totals: [Float]

    /// `pooled` is one image's max-pool output of `layer`, (maps, height, width).
    public init(_ layer: ConvLayer, pooled: [Float]) {
        precondition(pooled.count == layer.pool.outputCount, "\(layer) pools to \(layer.pool.outputCount) values")
        let plane = pooled.count / layer.maps
        self.layer = layer
        totals = (0..<layer.maps).map { m in pooled[(m * plane)..<((m + 1) * plane)].reduce(0, +) }
    }

    /// Maps by total, largest first; of equal totals the lower map first.
    public var ranked: [Int] {
        totals.indices.sorted { totals[$0] > totals[$1] || (totals[$0] == totals[$1] && $0 < $1) }
    }

    /// Maps whose every pooled unit is zero (ReLU keeps them non-negative, so a zero total says it).
    public var silent: [Int] { totals.indices.filter { totals[$0] == 0 } }
}

extension DigitReconstruction {
    public func response(_ layer: ConvLayer) -> LayerResponse { LayerResponse(layer, pooled: activations.pooled(layer)) }
}
