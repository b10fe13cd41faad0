import Deconvnet
import Network

extension Network {
    /// A copy whose convolutional `layers` have their weights and biases redrawn from PyTorch's
    /// default initialisation (uniform in ±1/√fanIn), every other tensor kept. The new values are
    /// those of a fresh draw of the whole parameter block from one SplitMix64(seed) stream in
    /// parameter order (each weighted layer's weights, then its bias, fanIn its inputs per
    /// output), each layer at its own place in it, so a layer's redrawn values are the same
    /// whichever other layers are redrawn with it; for LeNet-5 they are `LeNet5(seed: seed)`'s.
    public func redrawing(_ layers: [ConvolutionalLayer], seed: UInt64) -> Network {
        var random = SplitMix64(seed: seed)
        var fresh = [Float]()
        fresh.reserveCapacity(parameterCount)
        for layer in self.layers {
            let fanIn: Int, counts: [Int]
            switch layer {
            case .convolution(let c): (fanIn, counts) = (c.inChannels * c.kernel * c.kernel, [c.weightCount, c.outChannels])
            case .linear(let l): (fanIn, counts) = (l.inFeatures, [l.weightCount, l.outFeatures])
            default: continue
            }
            let bound = 1 / Float(fanIn).squareRoot()
            for count in counts { for _ in 0..<count { fresh.append((2 * random.nextUnitFloat() - 1) * bound) } }
        }
        precondition(fresh.count == parameterCount, "every parameter drawn")
        var copy = self
        for layer in layers {
            let start = parameterOffsets[layer.layer], end = start + self.layers[layer.layer].parameterCount
            copy.parameters.replaceSubrange(start..<end, with: fresh[start..<end])
        }
        return copy
    }
}
