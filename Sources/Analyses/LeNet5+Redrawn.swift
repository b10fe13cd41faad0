import Deconvnet
import Network

extension LeNet5 {
    /// A copy whose `layers` have their weights and biases redrawn from PyTorch's default
    /// initialisation (uniform in ±1/√fanIn), every other tensor kept. The new tensors are those
    /// of a fresh `LeNet5(seed: seed)`: one SplitMix64 stream drawn in parameter order, each layer
    /// at its own place in it, so conv2's redrawn values are the same whether conv1 is redrawn
    /// too or not.
    public func redrawing(_ layers: [ConvLayer], seed: UInt64) -> LeNet5 {
        let fresh = LeNet5(seed: seed)
        var copy = self
        for layer in layers {
            copy[layer.weights] = fresh[layer.weights]
            copy[layer.bias] = fresh[layer.bias]
        }
        return copy
    }
}
