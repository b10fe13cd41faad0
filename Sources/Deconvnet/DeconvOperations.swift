import Network

/// The three operations of a Zeiler & Fergus deconvnet layer (2013, section 2.1), one image at a
/// time over flat (C, H, W) buffers.
public enum DeconvOperations {
    /// Puts each pooled value back where its max-pool switch says the maximum was; every other
    /// location is 0. pooled (C, H/2, W/2) and switches of the same shape → (C, H, W).
    public static func unpool(_ pooled: [Float], switches: [Int32], pool: MaxPool2D) -> [Float] {
        precondition(pooled.count == pool.outputCount && switches.count == pool.outputCount, "unpool: shapes do not match")
        let inputPlane = pool.inputHeight * pool.inputWidth, outputPlane = pool.outputHeight * pool.outputWidth
        var output = [Float](repeating: 0, count: pool.inputCount)
        for channel in 0..<pool.channels {
            for o in 0..<outputPlane {
                let i = channel * outputPlane + o
                output[channel * inputPlane + Int(switches[i])] = pooled[i]
            }
        }
        return output
    }

    /// ReLU: the reconstruction is kept non-negative, as the feature maps it stands for are.
    public static func rectify(_ values: [Float]) -> [Float] {
        values.map { max($0, 0) }
    }

    /// Transposed convolution with a layer's own learned filters and no bias: the convolution of
    /// the signal with every filter flipped vertically and horizontally, input and output channels
    /// swapped, and padding K − 1 − P. signal (Cout, Ho, Wo) → (Cin, H, W); maps conv1's 28 × 28
    /// back to 28 × 28 (padding 2) and conv2's 10 × 10 back to 14 × 14 (padding 4).
    public static func filter(_ signal: [Float], conv: Conv2D, weights: [Float]) -> [Float] {
        precondition(conv.stride == 1, "filter: only stride-1 convolutions have this transpose")
        let transposed = transpose(conv)
        return transposed.apply(input: signal, weight: flippedWeights(weights, of: conv))
    }

    /// The convolution that `filter` runs for `conv`.
    public static func transpose(_ conv: Conv2D) -> Conv2D {
        Conv2D(inChannels: conv.outChannels, outChannels: conv.inChannels, kernel: conv.kernel, stride: 1,
               padding: conv.kernel - 1 - conv.padding, inputHeight: conv.outputHeight, inputWidth: conv.outputWidth)
    }

    /// (Cout, Cin, K, K) → (Cin, Cout, K, K) with each K × K kernel rotated by 180°.
    public static func flippedWeights(_ weights: [Float], of conv: Conv2D) -> [Float] {
        let k = conv.kernel
        var flipped = [Float](repeating: 0, count: weights.count)
        for o in 0..<conv.outChannels {
            for i in 0..<conv.inChannels {
                for y in 0..<k {
                    for x in 0..<k {
                        flipped[((i * conv.outChannels + o) * k + (k - 1 - y)) * k + (k - 1 - x)] =
                            weights[((o * conv.inChannels + i) * k + y) * k + x]
                    }
                }
            }
        }
        return flipped
    }
}
