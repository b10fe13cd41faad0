import Testing
@testable import Deconvnet
@testable import Network

/// A noisy image in [0, 1): no two inputs are equal, so pooling windows do not tie.
let noise = randomArray(784, seed: 21, positive: true)

@Suite struct BackwardRuleTests {
    /// Random weights and biases (PyTorch's initialisation).
    let model = LeNet5(seed: 7)

    @Test func passTreatsEachValueByItsRule() {
        let signal: [Float] = [-2, 3, -1, 4], forward: [Float] = [0, 0, 5, 6]
        #expect(BackwardRule.gradient.pass(signal, forward: forward) == [0, 0, -1, 4])
        #expect(BackwardRule.deconvnet.pass(signal, forward: forward) == [0, 3, 0, 4])
        #expect(BackwardRule.guided.pass(signal, forward: forward) == [0, 0, 0, 4])
    }

    /// The projection as it was before the rules existed, copied verbatim: unpool → rectify →
    /// filter, for the seeded layer and then conv1.
    func original(_ model: LeNet5, _ layer: Stage, map: Int, of a: Pooled, mode: ReconstructionMode) -> [Float] {
        func project(_ signal: [Float], through layer: Stage) -> [Float] {
            let unpooled = DeconvOperations.unpool(signal, switches: a.switches(layer), pool: layer.pool)
            let weights = Array(model[layer.weights])
            return DeconvOperations.filter(DeconvOperations.rectify(unpooled), conv: layer.conv, weights: weights)
        }
        var signal = Deconvnet.keep(map: map, of: a.pooled(layer), stage: layer, mode: mode)
        signal = project(signal, through: layer)
        if layer == .conv2 { signal = project(signal, through: .conv1) }
        return signal
    }

    /// The default rule gives the very same floats as before, in both modes.
    @Test(arguments: ReconstructionMode.allCases)
    func deconvnetRuleIsTheOriginalProjectionBitForBit(_ mode: ReconstructionMode) {
        let deconvnet = Deconvnet(network: model.network)
        for image in [ring, noise] {
            let a = Pooled(model, image)
            for (layer, map) in Stage.allMaps {
                let expected = original(model, layer, map: map, of: a, mode: mode)
                let byDefault = deconvnet.reconstruct(layer, map: map, of: a, mode: mode)
                let named = deconvnet.reconstruct(layer, map: map, of: a, mode: mode, rule: .deconvnet)
                #expect(byDefault.map(\.bitPattern) == expected.map(\.bitPattern) && named.map(\.bitPattern) == expected.map(\.bitPattern),
                        "\(layer) map \(map): \(zip(byDefault, expected).filter { $0 != $1 }.count) values changed")
            }
        }
    }

    /// Each rule's projection in a batch of requests (here the same one twice, on two threads)
    /// is that rule's projection alone, bit for bit.
    @Test(arguments: ReconstructionMode.allCases)
    func everyRuleAtOnceIsEachRuleAlone(_ mode: ReconstructionMode) {
        let deconvnet = Deconvnet(network: model.network)
        for image in [ring, noise] {
            let a = Pooled(model, image)
            for (layer, map) in Stage.allMaps {
                let all = Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { rule in
                    (rule, deconvnet.reconstruct(layer.layer, [(map, 0), (map, 0)], of: a.trace, mode: mode, rule: rule, threads: 2)[1])
                })
                for rule in BackwardRule.allCases {
                    let alone = deconvnet.reconstruct(layer, map: map, of: a, mode: mode, rule: rule)
                    #expect(all[rule]!.map(\.bitPattern) == alone.map(\.bitPattern), "\(rule), \(layer) map \(map)")
                }
            }
        }
    }

    /// Every rule against a chain of the reference backward functions whose ReLU masks come from
    /// the forward pass's full rectified conv outputs, not from the pooled maxima the projection
    /// uses: max-pool backward, then the rule (gradient: × mask; deconvnet: ReLU; guided: both),
    /// then the convolution's input gradient. So the guided rule is the deconvnet's masked by the
    /// forward ReLU at each layer. Tolerance 1e-5 of the largest magnitude.
    @Test(arguments: BackwardRule.allCases)
    func agreesWithTheReferenceChain(_ rule: BackwardRule) {
        let a = Pooled(model, noise), pass = a.pass
        let deconvnet = Deconvnet(network: model.network)
        for (layer, map) in Stage.allMaps {
            var signal = Deconvnet.keep(map: map, of: a.pooled(layer), stage: layer, mode: .wholeMap)
            for stage in layer == .conv2 ? [Stage.conv2, .conv1] : [.conv1] {
                let mask = (stage == .conv1 ? pass.conv1 : pass.conv2).map { $0 > 0 }
                let unpooled = Reference.maxPoolBackward(stage.pool, outputGradient: signal, switches: a.switches(stage), batch: 1)
                let passed: [Float] = zip(unpooled, mask).map { value, open in
                    switch rule {
                    case .gradient: open ? value : 0
                    case .deconvnet: max(value, 0)
                    case .guided: open ? max(value, 0) : 0
                    }
                }
                signal = Reference.convBackward(stage.conv, outputGradient: passed, input: [Float](repeating: 0, count: stage.conv.inputCount),
                                                weight: Array(model[stage.weights]), batch: 1).input
            }
            let ours = deconvnet.reconstruct(layer, map: map, of: a, rule: rule)
            let scale = signal.map(abs).max()!, worst = zip(ours, signal).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-5 * max(scale, 1e-12), "\(rule), \(layer) map \(map): worst difference \(worst) of \(scale)")
        }
    }

    /// The seed is non-negative and nonzero only where the forward ReLU was open, so the rules
    /// first differ one layer below the seeded one: conv1's maps are the same under all three,
    /// conv2's are not.
    @Test func rulesDifferOnlyBelowTheSeededLayer() {
        let a = Pooled(model, noise), deconvnet = Deconvnet(network: model.network)
        for map in 0..<6 {
            let projections = BackwardRule.allCases.map { deconvnet.reconstruct(.conv1, map: map, of: a, rule: $0) }
            #expect(projections[0] == projections[1] && projections[1] == projections[2], "conv1 map \(map)")
        }
        let differing = (0..<16).filter { map in
            let g = deconvnet.reconstruct(.conv2, map: map, of: a, rule: .gradient)
            return g != deconvnet.reconstruct(.conv2, map: map, of: a, rule: .deconvnet) && g != deconvnet.reconstruct(.conv2, map: map, of: a, rule: .guided)
        }
        #expect(differing.count >= 8, "only conv2 maps \(differing) differ between rules")
    }
}
