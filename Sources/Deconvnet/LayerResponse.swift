import Network

/// How one image's block output of one layer responds: each map's total activation, which maps
/// respond most and which are silent (all zero, so their reconstruction is blank).
public struct LayerResponse: Sendable, Equatable {
    public let layer: ConvolutionalLayer
    /// Each map's units summed in order.
    public let totals: [Float]

    /// `output` is one image's block output of `layer`, (maps, height, width).
    public init(_ layer: ConvolutionalLayer, output: [Float]) {
        precondition(output.count == layer.outputCount, "\(layer.name) has \(layer.outputCount) outputs")
        let plane = layer.mapPlane
        self.layer = layer
        totals = (0..<layer.maps).map { m in output[(m * plane)..<((m + 1) * plane)].reduce(0, +) }
    }

    public init(layer: ConvolutionalLayer, output: [Float]) {
        self.init(layer, output: output)
    }

    /// Maps by total, largest first; of equal totals the lower map first.
    public var ranked: [Int] {
        totals.indices.sorted { totals[$0] > totals[$1] || (totals[$0] == totals[$1] && $0 < $1) }
    }

    /// Maps whose every unit is zero (a ReLU keeps them non-negative, so a zero total says it).
    public var silent: [Int] { totals.indices.filter { totals[$0] == 0 } }
}

extension DigitReconstruction {
    public func response(_ layer: ConvolutionalLayer) -> LayerResponse { LayerResponse(layer, output: output(layer)) }
}
