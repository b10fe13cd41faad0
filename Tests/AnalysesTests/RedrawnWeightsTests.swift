import Testing
@testable import Analyses
import Deconvnet
@testable import Network

@Suite struct RedrawnWeightsTests {
    let trained = LeNet5(seed: 1)

    /// PyTorch's default initialisation: uniform in ±1/√fanIn, fanIn 25 for conv1 and 150 for conv2;
    /// 150 and 2,400 draws reach close to the bound.
    @Test func redrawnTensorsFollowTheInitialisationBounds() {
        let redrawn = trained.redrawing([.conv1, .conv2], seed: SanityChecks.defaultSeed)
        for (layer, fanIn) in [(ConvLayer.conv1, 25.0), (.conv2, 150.0)] {
            let bound = Float(1 / fanIn.squareRoot())
            for p in [layer.weights, layer.bias] {
                let largest = redrawn[p].map(abs).max()!
                #expect(largest <= bound, "\(p.name): |value| up to \(largest), bound \(bound)")
            }
            let largest = redrawn[layer.weights].map(abs).max()!
            #expect(largest >= 0.95 * bound, "\(layer.weights.name) reaches only \(largest) of \(bound)")
            #expect(redrawn[layer.weights] != trained[layer.weights])
        }
    }

    /// The values are those of `LeNet5(seed:)`, whichever layers are redrawn; the rest is kept.
    @Test func redrawnTensorsComeFromTheSeedAlone() {
        let seed: UInt64 = 2013, fresh = LeNet5(seed: seed)
        #expect(SanityChecks.defaultSeed == seed)
        let both = trained.redrawing([.conv1, .conv2], seed: seed), conv2Only = trained.redrawing([.conv2], seed: seed)
        for p in [LeNet5.Parameter.conv1Weight, .conv1Bias, .conv2Weight, .conv2Bias] { #expect(both[p] == fresh[p], "\(p.name)") }
        #expect(conv2Only[.conv2Weight] == both[.conv2Weight] && conv2Only[.conv2Bias] == both[.conv2Bias])
        #expect(conv2Only[.conv1Weight] == trained[.conv1Weight] && conv2Only[.conv1Bias] == trained[.conv1Bias])
        for p in [LeNet5.Parameter.fc1Weight, .fc1Bias, .fc2Weight, .fc2Bias, .fc3Weight, .fc3Bias] {
            #expect(both[p] == trained[p], "\(p.name) must stay trained")
        }
        #expect(trained.redrawing([.conv1, .conv2], seed: seed) == both, "the same seed draws the same values")
        #expect(trained.redrawing([.conv1, .conv2], seed: seed + 1)[.conv2Weight] != both[.conv2Weight])
    }
}
