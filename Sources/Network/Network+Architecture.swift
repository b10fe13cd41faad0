extension Network {
    /// Every layer in order, the input first, with its output size from the geometry the engine
    /// runs on, O = (I + 2P − K) / S + 1, its parameters and its forward FLOPs for one image.
    public var summary: [LayerSummary] {
        let names = displayNames
        return [LayerSummary(name: "input", operation: "Input", kernel: nil, stride: nil, padding: nil,
                             outputShape: [1, imageHeight, imageWidth], parameterCount: 0, forwardFLOPs: 0)]
            + layers.indices.map { i in
                let layer = layers[i]
                var (kernel, stride, padding): (Int?, Int?, Int?) = (nil, nil, nil)
                var flops = 0
                switch layer {
                case .convolution(let c):
                    (kernel, stride, padding) = (c.kernel, c.stride, c.padding)
                    flops = 2 * c.outputCount * c.patchSize
                case .maxPool(let p), .averagePool(let p):
                    (kernel, stride, padding) = (p.kernel, p.stride, 0)
                case .linear(let l):
                    flops = 2 * l.weightCount
                default:
                    break
                }
                return LayerSummary(name: names[i], operation: layer.operation, kernel: kernel, stride: stride, padding: padding,
                                    outputShape: outputShapes[i], parameterCount: layer.parameterCount, forwardFLOPs: flops)
            }
    }

    /// Floating-point operations of one image's forward pass (multiply-adds count 2).
    public var forwardFLOPs: Int { summary.reduce(0) { $0 + $1.forwardFLOPs } }
}
