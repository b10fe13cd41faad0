import Testing
@testable import Analyses
import Deconvnet
@testable import Network

@Suite struct RedrawnWeightsTests {
    let trained = LeNet5(seed: 1)

    /// PyTorch's default initialisation: uniform in ±1/√fanIn, fanIn 25 for conv1 and 150 for conv2;
    /// 150 and 2,400 draws reach close to the bound.
    @Test func redrawnTensorsFollowTheInitialisationBounds() throws {
        let redrawn = try #require(trained.network.redrawing(lenetLayers, seed: SanityChecks.defaultSeed).lenet5)
        let layers: [(LeNet5.Parameter, LeNet5.Parameter, Double)] = [(.conv1Weight, .conv1Bias, 25), (.conv2Weight, .conv2Bias, 150)]
        for (weights, bias, fanIn) in layers {
            let bound = Float(1 / fanIn.squareRoot())
            for p in [weights, bias] {
                let largest = redrawn[p].map(abs).max()!
                #expect(largest <= bound, "\(p.name): |value| up to \(largest), bound \(bound)")
            }
            let largest = redrawn[weights].map(abs).max()!
            #expect(largest >= 0.95 * bound, "\(weights.name) reaches only \(largest) of \(bound)")
            #expect(redrawn[weights] != trained[weights])
        }
    }

    /// The values are those of `LeNet5(seed:)`, whichever layers are redrawn; the rest is kept.
    @Test func redrawnTensorsComeFromTheSeedAlone() throws {
        let seed: UInt64 = 2013, fresh = LeNet5(seed: seed)
        #expect(SanityChecks.defaultSeed == seed)
        let network = trained.network
        let both = try #require(network.redrawing([conv1, conv2], seed: seed).lenet5)
        let conv2Only = try #require(network.redrawing([conv2], seed: seed).lenet5)
        for p in [LeNet5.Parameter.conv1Weight, .conv1Bias, .conv2Weight, .conv2Bias] { #expect(both[p] == fresh[p], "\(p.name)") }
        #expect(conv2Only[.conv2Weight] == both[.conv2Weight] && conv2Only[.conv2Bias] == both[.conv2Bias])
        #expect(conv2Only[.conv1Weight] == trained[.conv1Weight] && conv2Only[.conv1Bias] == trained[.conv1Bias])
        for p in [LeNet5.Parameter.fc1Weight, .fc1Bias, .fc2Weight, .fc2Bias, .fc3Weight, .fc3Bias] {
            #expect(both[p] == trained[p], "\(p.name) must stay trained")
        }
        #expect(network.redrawing([conv1, conv2], seed: seed) == network.redrawing([conv1, conv2], seed: seed), "the same seed draws the same values")
        #expect(network.redrawing([conv1, conv2], seed: seed + 1).lenet5![.conv2Weight] != both[.conv2Weight])
    }

    /// Any network: each redrawn layer's values come from its own place in one stream (the same
    /// whichever layers are redrawn with it), within ±1/√fanIn; the others are kept.
    @Test func anyNetworkRedrawsEachLayerAtItsPlace() {
        let network = otherNetwork(seed: 3), layers = network.convolutionalLayers
        let all = network.redrawing(layers, seed: 9), top = network.redrawing([layers[2]], seed: 9)
        for (i, layer) in layers.enumerated() {
            let c = layer.convolution, bound = 1 / Float(c.inChannels * c.kernel * c.kernel).squareRoot()
            #expect(all.weights(of: layer.layer) != network.weights(of: layer.layer))
            #expect(all.weights(of: layer.layer).allSatisfy { abs($0) <= bound } && all.bias(of: layer.layer).allSatisfy { abs($0) <= bound })
            #expect(top.weights(of: layer.layer) == (i == 2 ? all : network).weights(of: layer.layer))
            #expect(top.bias(of: layer.layer) == (i == 2 ? all : network).bias(of: layer.layer))
        }
        for i in network.layers.indices where { if case .linear = network.layers[i] { true } else { false } }() {
            #expect(all.weights(of: i) == network.weights(of: i) && all.bias(of: i) == network.bias(of: i))
        }
    }
}
