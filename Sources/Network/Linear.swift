/// A fully connected layer, y = x · Wᵀ + b, with PyTorch's (out, in) weight layout.
public struct Linear: Sendable, Equatable {
    public let inFeatures: Int
    public let outFeatures: Int

    public init(inFeatures: Int, outFeatures: Int) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    public var weightCount: Int { inFeatures * outFeatures }

    /// input (n, in), weight (out, in), bias (out) → output (n, out): each output is its bias
    /// plus `dotProduct` of the input row and the weight row, so it does not depend on n.
    package func forward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        for row in 0..<n { (output + row * outFeatures).update(from: bias, count: outFeatures) }
        multiplyTransposedAccumulate(rows: n, columns: outFeatures, depth: inFeatures, input, aRowStride: inFeatures,
                                     weight, bRowStride: inFeatures, output, cRowStride: outFeatures)
    }

    /// Accumulates into `weightGradient` (out, in) and `biasGradient` (out), image by image in
    /// row order; writes `inputGradient` (n, in), summing over the outputs in order.
    package func backward(inputGradient: UnsafeMutablePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
                  biasGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                  input: UnsafePointer<Float>, weight: UnsafePointer<Float>, batch n: Int) {
        for row in 0..<n {
            let g = outputGradient + row * outFeatures
            for o in 0..<outFeatures { biasGradient[o] += g[o] }
        }
        // dW += dYᵀ · X: row o of dYᵀ is column o of dY.
        multiplyAccumulate(rows: outFeatures, columns: inFeatures, depth: n, outputGradient, aRowStride: 1, aDepthStride: outFeatures,
                           input, bRowStride: inFeatures, weightGradient, cRowStride: inFeatures)
        // dX = dY · W.
        zeroFloats(inputGradient, n * inFeatures)
        multiplyAccumulate(rows: n, columns: inFeatures, depth: outFeatures, outputGradient, aRowStride: outFeatures, aDepthStride: 1,
                           weight, bRowStride: inFeatures, inputGradient, cRowStride: inFeatures)
    }
}
