/// A fully connected layer, y = x · Wᵀ + b, with PyTorch's (out, in) weight layout.
public struct Linear: Sendable, Equatable {
    public let inFeatures: Int
    public let outFeatures: Int

    public init(inFeatures: Int, outFeatures: Int) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    public var weightCount: Int { inFeatures * outFeatures }

    /// input (n, in), weight (out, in), bias (out) → output (n, out).
    func forward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        for row in 0..<n { (output + row * outFeatures).update(from: bias, count: outFeatures) }
        sgemm(transposeB: true, m: n, n: outFeatures, k: inFeatures, input, weight, beta: 1, output)
    }

    /// Accumulates into `weightGradient` (out, in) and `biasGradient` (out); writes
    /// `inputGradient` (n, in).
    func backward(inputGradient: UnsafeMutablePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
                  biasGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                  input: UnsafePointer<Float>, weight: UnsafePointer<Float>, batch n: Int) {
        for row in 0..<n {
            let g = outputGradient + row * outFeatures
            for o in 0..<outFeatures { biasGradient[o] += g[o] }
        }
        sgemm(transposeA: true, m: outFeatures, n: inFeatures, k: n, outputGradient, input, beta: 1, weightGradient)
        sgemm(m: n, n: inFeatures, k: outFeatures, outputGradient, weight, inputGradient)
    }
}
