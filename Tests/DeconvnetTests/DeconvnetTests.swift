import Testing
@testable import Deconvnet
@testable import Network

func randomArray(_ count: Int, seed: UInt64, positive: Bool = false) -> [Float] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in positive ? random.nextUnitFloat() : 2 * random.nextUnitFloat() - 1 }
}

func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }

/// Max-pools one image's (C, H, W) maps with the reference kernel, which the engine's fused
/// kernels match exactly, returning output and switches.
func maxPool(_ x: [Float], _ p: MaxPool2D) -> (output: [Float], switches: [Int32]) {
    Reference.maxPoolForward(p, input: x, batch: 1)
}

/// A digit-like test image: a bright ring on a dark background.
let ring: [Float] = (0..<784).map { i in
    let (y, x) = (Double(i / 28) - 13.5, Double(i % 28) - 13.5)
    let r = (x * x + y * y).squareRoot()
    return abs(r - 8) < 2.5 ? 1 : 0
}

@Suite struct OperationTests {
    /// The unpooling of a 4 × 4 map whose maxima are known; the tie in the last window goes to the
    /// first maximum in row-major order, the rule of the engine's pooling.
    @Test func unpoolPutsValuesWhereTheMaximaWere() {
        let p = MaxPool2D(channels: 1, inputHeight: 4, inputWidth: 4)
        let map: [Float] = [1, 5, 2, 0,
                            3, 4, 9, 1,
                            0, 0, 7, 8,
                            6, 2, 8, 3]
        let pooled = maxPool(map, p)
        #expect(pooled.output == [5, 9, 6, 8])
        #expect(pooled.switches == [1, 6, 12, 11])
        #expect(DeconvOperations.unpool([10, 20, 30, 40], switches: pooled.switches, pool: p) == [0, 10, 0, 0,
                                                                                                 0, 0, 20, 0,
                                                                                                 0, 0, 0, 40,
                                                                                                 30, 0, 0, 0])
    }

    /// A 3 × 3 filter transposed over a 3 × 3 signal gives the 5 × 5 input space: each signal value
    /// stamps the filter, unflipped, at its own position.
    @Test func filterOfA3x3KernelOnA5x5Input() {
        let conv = Conv2D(inChannels: 1, outChannels: 1, kernel: 3, inputHeight: 5, inputWidth: 5)
        let weights: [Float] = [1, 2, 3,
                                4, 5, 6,
                                7, 8, 9]
        let signal: [Float] = [2, 0, 0,
                               0, 1, 0,
                               0, 0, 0]
        #expect(DeconvOperations.filter(signal, conv: conv, weights: weights) == [2, 4, 6, 0, 0,
                                                                                  8, 11, 14, 3, 0,
                                                                                  14, 20, 23, 6, 0,
                                                                                  0, 7, 8, 9, 0,
                                                                                  0, 0, 0, 0, 0])
        #expect(DeconvOperations.transpose(LeNet5.conv1).outputHeight == 28)
        #expect(DeconvOperations.transpose(LeNet5.conv2).outputHeight == 14)
    }

    @Test func rectify() {
        #expect(DeconvOperations.rectify([-1, 0, 2.5, -0.1]) == [0, 0, 2.5, 0])
    }

    /// ⟨gather(x), y⟩ = ⟨x, unpool(y)⟩, where gather reads x at the switches. Tolerance 1e-5 relative.
    @Test(arguments: [LeNet5.pool1, LeNet5.pool2])
    func unpoolIsTheAdjointOfPooling(_ p: MaxPool2D) {
        let switches = maxPool(randomArray(p.inputCount, seed: 1), p).switches
        let x = randomArray(p.inputCount, seed: 2), y = randomArray(p.outputCount, seed: 3)
        let plane = p.inputHeight * p.inputWidth, outPlane = p.outputHeight * p.outputWidth
        let gathered = switches.indices.map { x[($0 / outPlane) * plane + Int(switches[$0])] }
        let left = dot(gathered, y), right = dot(x, DeconvOperations.unpool(y, switches: switches, pool: p))
        #expect(abs(left - right) <= 1e-5 * max(1, abs(left)), "⟨gather x, y⟩ = \(left) but ⟨x, unpool y⟩ = \(right)")
    }

    /// ⟨conv(x), y⟩ = ⟨x, filter(y)⟩ with the same weights and no bias. Tolerance 1e-5 relative.
    @Test(arguments: [LeNet5.conv1, LeNet5.conv2])
    func filterIsTheAdjointOfConvolution(_ c: Conv2D) {
        let w = randomArray(c.weightCount, seed: 4), x = randomArray(c.inputCount, seed: 5), y = randomArray(c.outputCount, seed: 6)
        let left = dot(c.apply(input: x, weight: w), y), right = dot(x, DeconvOperations.filter(y, conv: c, weights: w))
        #expect(abs(left - right) <= 1e-5 * max(1, abs(left)), "⟨conv x, y⟩ = \(left) but ⟨x, filter y⟩ = \(right)")
    }
}

@Suite struct ReconstructionTests {
    let model = LeNet5(seed: 11)
    var activations: Pooled { Pooled(model, ring) }

    /// The same projection through the reference backward functions: max-pool backward for
    /// unpool, ReLU applied to the signal, the convolution's input gradient for filter, seeded
    /// with the masked activations. Tolerance 1e-5 of the largest value.
    func throughTheBackwardPass(_ layer: Stage, map: Int) -> [Float] {
        var signal = Deconvnet.keep(map: map, of: activations.pooled(layer), stage: layer, mode: .wholeMap)
        for stage in layer == .conv2 ? [Stage.conv2, .conv1] : [.conv1] {
            let (conv, pool) = (stage.conv, stage.pool)
            let unpooled = Reference.maxPoolBackward(pool, outputGradient: signal, switches: activations.switches(stage), batch: 1)
            signal = Reference.convBackward(conv, outputGradient: Reference.reluForward(unpooled),
                                            input: [Float](repeating: 0, count: conv.inputCount), weight: Array(model[stage.weights]),
                                            batch: 1).input
        }
        return signal
    }

    @Test func agreesWithTheDoubleReference() {
        let deconvnet = Deconvnet(network: model.network), a = activations
        for layer in Stage.allCases {
            for map in 0..<layer.maps {
                let ours = deconvnet.reconstruct(layer, map: map, of: a), expected = throughTheBackwardPass(layer, map: map)
                #expect(ours.count == 784)
                let scale = expected.map(abs).max()!, worst = zip(ours, expected).map { abs($0 - $1) }.max()!
                #expect(worst <= 1e-5 * max(scale, 1e-12), "\(layer) map \(map): worst difference \(worst) of \(scale)")
            }
        }
    }

    /// Zeroing happens at the chosen layer only: conv2's reconstruction reaches conv1's deconvnet
    /// layer with several of conv1's six maps active.
    @Test func zeroingOnlyAtTheChosenLayer() {
        let deconvnet = Deconvnet(network: model.network), a = activations
        let totals: [Float] = (0..<16).map { (m: Int) -> Float in a.pool2[(m * 25)..<((m + 1) * 25)].reduce(0, +) }
        let map = totals.indices.max { totals[$0] < totals[$1] }!
        let kept = Deconvnet.keep(map: map, of: a.pool2, stage: .conv2, mode: .wholeMap)
        #expect(Array(kept[(map * 25)..<((map + 1) * 25)]) == Array(a.pool2[(map * 25)..<((map + 1) * 25)]))
        #expect(kept[(map * 25)..<((map + 1) * 25)].contains { $0 > 0 })
        #expect(kept.enumerated().filter { $0.offset / 25 != map }.allSatisfy { $0.element == 0 })
        let intoConv1 = deconvnet.network.backward(kept, from: Stage.conv2.layer.outputLayer, to: 3, through: a.trace, sources: [0], rule: .deconvnet)
        let activeMaps = (0..<6).filter { c in intoConv1[c * 196..<(c + 1) * 196].contains { $0 != 0 } }
        #expect(activeMaps.count > 1, "only maps \(activeMaps) reach conv1's deconvnet layer")
    }

    @Test func aSilentMapReconstructsToZero() throws {
        var silenced = model
        silenced[.conv2Bias][silenced[.conv2Bias].startIndex + 3] = -1000
        let a = Pooled(silenced, ring)
        #expect(a.pool2[75..<100].allSatisfy { $0 == 0 })
        let deconvnet = Deconvnet(network: silenced.network)
        #expect(deconvnet.reconstruct(.conv2, map: 3, of: a).allSatisfy { $0 == 0 })
        #expect(deconvnet.reconstruct(.conv2, map: 3, of: a, mode: .strongest).allSatisfy { $0 == 0 })
        let active = try #require((0..<16).first { m in a.pool2[m * 25..<(m + 1) * 25].contains { $0 > 0 } })
        #expect(deconvnet.reconstruct(.conv2, map: active, of: a).contains { $0 != 0 })
    }

    @Test func strongestModeKeepsOneActivation() {
        let a = activations
        for map in 0..<6 {
            let kept = Deconvnet.keep(map: map, of: a.pool1, stage: .conv1, mode: .strongest)
            let nonzero = kept.indices.filter { kept[$0] != 0 }
            #expect(nonzero.count == 1 && kept[nonzero[0]] == a.pool1[map * 196..<(map + 1) * 196].max()!)
        }
        let whole = Deconvnet(network: model.network).reconstruct(.conv1, map: 0, of: a)
        let single = Deconvnet(network: model.network).reconstruct(.conv1, map: 0, of: a, mode: .strongest)
        #expect(single.filter { $0 != 0 }.count <= 25 && whole.filter { $0 != 0 }.count > 25,
                "one activation of conv1 reaches at most a 5 × 5 patch")
    }
}

@Suite struct OutputTests {
    @Test func choosesTheFirstCorrectlyClassifiedImage() throws {
        let labels: [UInt8] = [3, 0, 0, 1, 5, 0, 8, 8, 8], predictions: [UInt8] = [3, 1, 0, 1, 5, 0, 3, 2, 3]
        let model = LeNet5(seed: 9)
        var random = SplitMix64(seed: 4)
        let pixels = (0..<labels.count).map { _ in (0..<784).map { _ in random.nextUnitFloat() } }
        let images = { (indices: [Int]) in indices.flatMap { pixels[$0] } }
        let choices = try DigitChoice.choose(digits: [0, 1, 5, 8], labels: labels, predictions: predictions, model: model.network, images: images)
        #expect(choices.prefix(3).map(\.testIndex) == [2, 3, 4] && choices.prefix(3).allSatisfy(\.correct))
        // No 8 is right: the closest candidate is the 8 with the highest log-probability of 8.
        let scores = [6, 7, 8].map { model.forward(images: pixels[$0]).logProbabilities[8] }
        let expected = [6, 7, 8][scores.indices.max { scores[$0] < scores[$1] }!]
        #expect(choices[3] == .init(digit: 8, testIndex: expected, correct: false), "scores \(scores)")
        #expect(throws: DeconvnetError(description: "the test set has no image of digit 7")) {
            try DigitChoice.choose(digits: [7], labels: labels, predictions: predictions, model: model.network, images: images)
        }
        #expect(throws: DeconvnetError(description: "12 is not a digit 0–9")) {
            try DigitChoice.choose(digits: [12], labels: labels, predictions: predictions, model: model.network, images: images)
        }
    }

    @Test func fileHoldsEveryTensorWithItsShape() throws {
        let network = LeNet5(seed: 3).network, deconvnet = Deconvnet(network: network)
        let digit = DigitReconstruction(digit: 0, testIndex: 17, image: ring, deconvnet: deconvnet, mode: .strongest)
        #expect(digit.maps.count == 2 && digit.maps[0].count == 6 && digit.maps[1].count == 16 && digit.maps[1].allSatisfy { $0.count == 784 })
        #expect(digit.reconstructions(network.convolutionalLayers[1]) == digit.maps[1] && digit.pass.count == 1)
        let file = DigitReconstruction.file([digit], network: network, mode: .strongest, metadata: ["model_sha256": "abc"])
        #expect(file.names.count == 3 + 22)
        #expect(file["digit0.input"]?.shape == [1, 28, 28] && file["digit0.conv1.output"]?.shape == [6, 14, 14])
        #expect(file["digit0.conv2.output"]?.shape == [16, 5, 5] && file["digit0.conv2.15"]?.shape == [1, 28, 28])
        #expect(file["digit0.conv2.output"]?.values == LeNet5(seed: 3).forward(images: ring).pool2)
        #expect(file.metadata == ["model_sha256": "abc", "mode": "strongest", "digits": "0",
                                  "digit0.test_index": "17", "digit0.predicted": "\(digit.predicted)"])
        let decoded = try Safetensors.decode(file.encoded(), path: "d")
        #expect(decoded["digit0.conv1.5"]?.values == digit.maps[0][5])
        let response = digit.response(network.convolutionalLayers[1])
        let pool2 = LeNet5(seed: 3).forward(images: ring).pool2
        let totals: [Float] = (0..<16).map { (m: Int) -> Float in pool2[(m * 25)..<((m + 1) * 25)].reduce(0, +) }
        #expect(response.totals == totals)
    }

    /// A network of three convolutional layers (stride 2 without pooling, average pooling): every
    /// map of every layer, each the projection `reconstruct` gives on its own, and the file's keys.
    @Test func anyNetworksReconstructions() throws {
        let network = otherNetwork(seed: 12), deconvnet = Deconvnet(network: network)
        #expect(network.allMaps.count == 4 + 6 + 8 && network.allMaps[4].layer.name == "conv2" && network.allMaps[4].map == 0)
        let digit = DigitReconstruction(digit: 8, testIndex: 5, image: ring, deconvnet: deconvnet, mode: .wholeMap)
        #expect(digit.maps.map(\.count) == [4, 6, 8])
        let pass = network.trace(images: ring, top: network.convolutionalLayers[2].outputLayer)
        for (layer, map) in network.allMaps {
            let alone = deconvnet.reconstruct(layer, map: map, of: pass)
            #expect(digit.reconstructions(layer)[map].map(\.bitPattern) == alone.map(\.bitPattern), "\(layer.name) map \(map)")
        }
        #expect(digit.maps.joined().contains { $0.contains { $0 != 0 } })
        let file = DigitReconstruction.file([digit], network: network, mode: .wholeMap, metadata: [:])
        #expect(file.names.count == 1 + 3 + 18)
        #expect(file["digit8.conv2.output"]?.shape == [6, 7, 7] && file["digit8.conv3.output"]?.shape == [8, 4, 4])
        #expect(file["digit8.conv3.7"]?.shape == [1, 28, 28] && file["digit8.conv3.7"]?.values == digit.maps[2][7])
        let response = digit.response(network.convolutionalLayers[2])
        #expect(response.totals.count == 8 && response.ranked.count == 8)
    }
}
