extension Conv2D {
    /// The convolution of `n` images held in arrays: input (Cin, n, H, W), weight (Cout, Cin, K, K),
    /// bias (Cout, or none) → (Cout, n, Ho, Wo); for one image, (C, H, W) as usual. For callers
    /// outside the engine's hot loop.
    public func apply(input: [Float], weight: [Float], bias: [Float]? = nil, batch n: Int = 1) -> [Float] {
        precondition(input.count == n * inputCount && weight.count == weightCount, "shapes do not match \(self)")
        let bias = bias ?? [Float](repeating: 0, count: outChannels)
        precondition(bias.count == outChannels, "conv needs \(outChannels) biases")
        guard n > 0 else { return [] }
        var output = [Float](repeating: 0, count: n * outputCount)
        var columns = [Float](repeating: 0, count: columnsCount(batch: n))
        forward(output: &output, input: input, weight: weight, bias: bias, batch: n, columns: &columns)
        return output
    }
}
