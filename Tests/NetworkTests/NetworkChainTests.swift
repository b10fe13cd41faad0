import Testing
@testable import Network

/// The general network: its sizes and blocks, its forward pass against a Double reference and
/// against LeNet-5's own kernels, its backward pass against finite differences, and the adjoint
/// pairs (pool/unpool, convolution/transposed convolution) of any stride.
@Suite struct NetworkChainTests {
    /// Every kind of layer: a strided, padded convolution, overlapping max-pooling, average pooling, linear layers.
    static let kinds: [Layer.Kind] = [
        .convolution(outChannels: 3, kernel: 3, stride: 2, padding: 1), .relu, .maxPool(kernel: 3, stride: 2),
        .convolution(outChannels: 4, kernel: 2, stride: 1, padding: 0), .relu, .averagePool(kernel: 2, stride: 1),
        .flatten, .linear(outFeatures: 7), .relu, .linear(outFeatures: 5),
    ]

    static func network(seed: UInt64 = 3, normalization: InputNormalization? = nil) throws -> Network {
        // 3·9 + 3, 4·3·4 + 4, 7·4 + 7 and 5·7 + 5 weights and biases.
        var random = TestRandom(seed)
        let parameters = random.uniform(157, scale: 0.6).map(Float.init)
        return try Network(imageHeight: 15, imageWidth: 15, kinds: kinds, parameters: parameters, normalization: normalization)
    }

    @Test func sizesBlocksAndNames() throws {
        let net = try Self.network()
        // O = (I + 2P − K) / S + 1: (15 + 2 − 3) / 2 + 1 = 8, (8 − 3) / 2 + 1 = 3, 3 − 2 + 1 = 2, 2 − 2 + 1 = 1.
        #expect(net.outputShapes[0] == [3, 8, 8])
        #expect(net.outputShapes[2] == [3, 3, 3])
        #expect(net.outputShapes[3] == [4, 2, 2])
        #expect(net.outputShapes[5] == [4, 1, 1])
        #expect(net.declaredOutput == .logits)
        #expect(net.layers.last == .logSoftmax)
        #expect(net.convolutionalLayers.map(\.outputLayer) == [2, 5])
        #expect(net.convolutionalLayers.map(\.name) == ["conv1", "conv2"])
        #expect(net.lastHiddenLayer == 8)
        #expect(net.displayNames == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2", "log_softmax"])
    }

    @Test func lenet5IsANetwork() {
        let net = LeNet5(seed: 1).network
        #expect(net.isLeNet5)
        #expect(net.convolutionalLayers.map(\.outputLayer) == [2, 5])
        #expect(net.convolutionalLayers.map(\.outputShape) == [[6, 14, 14], [16, 5, 5]])
        let sizes: [Int] = LeNet5.layers.dropFirst().map { $0.outputShape.reduce(1, *) }
        #expect(net.outputShapes.map { $0.reduce(1, *) } == sizes)
        #expect(net.parameters == LeNet5(seed: 1).parameters)
        #expect(net.lastHiddenLayer == 10)
        #expect(net.displayNames == Array(LeNet5.layers.dropFirst().map(\.name)))
    }

    @Test func refusesWhatDoesNotChain() {
        func refusal(_ kinds: [Layer.Kind], side: Int = 8) -> String? {
            do {
                _ = try Network(imageHeight: side, imageWidth: side, kinds: kinds, parameters: [])
                return nil
            } catch { return error.description }
        }
        #expect(refusal([.flatten, .linear(outFeatures: 2)])?.contains("no convolutional layer") == true)
        #expect(refusal([.convolution(outChannels: 2, kernel: 3, stride: 1, padding: 0), .linear(outFeatures: 2)])?
            .contains("not flattened") == true)
        #expect(refusal([.convolution(outChannels: 2, kernel: 9, stride: 1, padding: 0)])?.contains("larger than") == true)
        #expect(refusal([.convolution(outChannels: 2, kernel: 3, stride: 1, padding: 0), .softmax, .flatten])?
            .contains("only be the last") == true)
        #expect(refusal([.convolution(outChannels: 2, kernel: 3, stride: 1, padding: 0), .flatten, .linear(outFeatures: 2)])?
            .contains("parameters") == true)
    }

    /// The general kernels against a Double reference of the same chain; tolerance 1e-5 relative.
    @Test func forwardMatchesReference() throws {
        let net = try Self.network(normalization: InputNormalization(mean: 0.2, std: 0.5))
        var random = TestRandom(9)
        let n = 5
        let images = random.uniform(n * net.inputCount).map { Float(abs($0)) }
        let pass = net.forward(images: images, keeping: Set(net.layers.indices), switches: true, threads: 2)
        let reference = ReferenceChain(net).forward(images.map(Double.init), batch: n)
        for i in net.layers.indices {
            expectClose(pass.outputs[i]!, reference[i], tolerance: 1e-5, "layer \(i) (\(net.layers[i].operation))")
        }
        #expect(pass.logProbabilities == pass.outputs[net.layers.count - 1]!)
    }

    /// LeNet-5 on its own kernels and on the general ones agree; one thread and two agree bit for bit.
    @Test func lenet5KernelsMatchGeneralOnes() {
        let net = LeNet5(seed: 4).network
        var random = TestRandom(5)
        let images = random.uniform(7 * 784).map { Float(abs($0)) }
        let fast = net.forward(images: images, keeping: [2, 5, 10], switches: true)
        let general = net.forward(images: images, keeping: [0, 2, 5, 10], switches: true)   // conv1's raw output: general kernels only
        for layer in [2, 5, 10, 12] {
            expectClose(fast.outputs[layer] ?? fast.logProbabilities, (general.outputs[layer] ?? general.logProbabilities).map(Double.init),
                        tolerance: 1e-5, "layer \(layer)")
        }
        let one = net.forward(images: images, keeping: [2, 5], switches: true, threads: 1)
        #expect(one.outputs[5]! == fast.outputs[5]! && one.switches[5]! == fast.switches[5]!)
    }

    /// The gradient rule is the gradient: ⟨seed, layer top's output⟩ differentiated by central
    /// differences of the Double reference, from every layer down to the input. Tolerance 1e-3
    /// relative to the largest component (the engine computes in Float).
    @Test(arguments: [2, 4, 5, 8, 10], [ConvolutionBackward.flippedFilters, .columns])
    func gradientRuleIsTheGradient(top: Int, convolutions: ConvolutionBackward) throws {
        let net = try Self.network()
        var random = TestRandom(UInt64(20 + top))
        let image = random.uniform(net.inputCount).map { Float(abs($0)) }
        let seed = random.uniform(net.outputShapes[top].reduce(1, *))
        let pass = net.trace(images: image, top: top)
        let analytic = net.backward(seed.map(Float.init), from: top, through: pass, sources: [0], rule: .gradient,
                                    convolutions: convolutions)
        let chain = ReferenceChain(net)
        let numeric = numericGradient(at: image.map(Double.init), step: 1e-6) { dot(seed, chain.forward($0, batch: 1)[top]) }
        let scale = numeric.map(abs).max()!
        let worst = zip(analytic, numeric).map { abs(Double($0) - $1) }.max()!
        #expect(worst <= 1e-3 * scale, "from layer \(top): largest difference \(worst), largest component \(scale)")
    }

    /// ⟨P x, y⟩ = ⟨x, Pᵀ y⟩ for the pooling layers (with x's own switches) and the convolutions.
    @Test(arguments: [ConvolutionBackward.flippedFilters, .columns])
    func adjointPairs(convolutions: ConvolutionBackward) throws {
        let net = try Self.network()
        var random = TestRandom(31)
        let image = random.uniform(net.inputCount).map { Float(abs($0)) }
        let pass = net.forward(images: image, keeping: Set(net.layers.indices), switches: true)
        for layer in [0, 2, 3, 5] {
            let x = layer == 0 ? image : pass.outputs[layer - 1]!
            var y = random.uniform(net.outputShapes[layer].reduce(1, *)).map(Float.init)
            var forward = pass.outputs[layer]!
            if case .convolution = net.layers[layer] {   // without the bias: the linear part
                let b = Array(net.bias(of: layer)), plane = forward.count / b.count
                for i in forward.indices { forward[i] -= b[i / plane] }
            }
            let back = net.backward(y, from: layer, to: layer, through: pass, sources: [0], rule: .gradient, convolutions: convolutions)
            let left = dot(forward.map(Double.init), y.map(Double.init)), right = dot(x.map(Double.init), back.map(Double.init))
            #expect(abs(left - right) <= 1e-5 * max(1, abs(left)), "layer \(layer): ⟨Px, y⟩ = \(left), ⟨x, Pᵀy⟩ = \(right)")
            y.removeAll()
        }
    }

    /// The chain's result for a signal does not depend on the other signals, their number or the threads.
    @Test(arguments: [ConvolutionBackward.flippedFilters, .columns])
    func backwardIsBatchIndependent(convolutions: ConvolutionBackward) throws {
        let net = try Self.network()
        var random = TestRandom(41)
        let images = random.uniform(3 * net.inputCount).map { Float(abs($0)) }
        let pass = net.trace(images: images, top: 5)
        let count = net.outputShapes[5].reduce(1, *)
        let seeds = random.uniform(4 * count).map(Float.init), sources = [2, 0, 1, 2]
        for rule in BackwardRule.allCases {
            let all = net.backward(seeds, from: 5, through: pass, sources: sources, rule: rule, convolutions: convolutions, threads: 2)
            for j in sources.indices {
                let one = net.backward(Array(seeds[j * count..<(j + 1) * count]), from: 5, through: pass, sources: [sources[j]], rule: rule,
                                       convolutions: convolutions)
                #expect(Array(all[j * net.inputCount..<(j + 1) * net.inputCount]) == one, "\(rule) signal \(j)")
            }
        }
    }
}

extension NetworkChainTests {
    /// A transposed convolution whose signals carry few channels (a deconvnet's seed: one map)
    /// takes a product per signal and channel: bit for bit the dense product, which the same
    /// signal gets beside dense ones.
    @Test func oneMapSignalsGetTheDenseProductsBits() {
        let net = LeNet5(seed: 6).network
        var random = TestRandom(43)
        let images = random.uniform(2 * net.inputCount).map { Float(abs($0)) }
        let pass = net.forward(images: images, keeping: Set(net.layers.indices), switches: true)
        let count = net.outputShapes[5].reduce(1, *), plane = count / net.outputShapes[5][0]
        let dense = random.uniform(2 * count).map(Float.init)
        for rule in BackwardRule.allCases {
            for map in [0, 7, 15] {
                var seed = [Float](repeating: 0, count: count)
                for p in 0..<plane { seed[map * plane + p] = Float(random.uniform(1)[0]) }
                let alone = net.backward(seed, from: 5, through: pass, sources: [1], rule: rule)
                let beside = net.backward(seed + dense, from: 5, through: pass, sources: [1, 0, 1], rule: rule)
                #expect(alone.contains { $0 != 0 }, "\(rule) map \(map): nothing reached the input")
                let worst = zip(alone, beside).map { abs($0 - $1) }.max()!
                #expect(alone == Array(beside[0..<net.inputCount]), "\(rule) map \(map): largest difference \(worst)")
            }
        }
    }

    /// LeNet-5's conv2 block, taken in one routed step by `.columns` under the gradient rule, is
    /// the gradient (central differences of the Double reference, from the logits and from pool2,
    /// tolerance 1e-3 of the largest component), and each signal's result is the same alone, in
    /// a batch and on two threads. The differences are taken at each picture's 32 largest pixels
    /// and 32 others drawn at random: all 784 would cost minutes.
    @Test(arguments: [11, 5])
    func routedConv2BlockIsTheGradient(top: Int) throws {
        let net = LeNet5(seed: 4).network
        var random = TestRandom(UInt64(60 + top))
        let images = random.uniform(3 * net.inputCount).map { Float(abs($0)) }
        let count = net.outputShapes[top].reduce(1, *), seeds = random.uniform(4 * count), sources = [2, 0, 1, 2]
        let pass = net.trace(images: images, top: top)
        let all = net.backward(seeds.map(Float.init), from: top, through: pass, sources: sources, rule: .gradient, convolutions: .columns,
                               threads: 2)
        let chain = ReferenceChain(net)
        for j in sources.indices {
            let seed = Array(seeds[(j * count)..<((j + 1) * count)]), image = Array(images[(sources[j] * 784)..<((sources[j] + 1) * 784)])
            let one = net.backward(seed.map(Float.init), from: top, through: pass, sources: [sources[j]], rule: .gradient,
                                   convolutions: .columns)
            #expect(Array(all[(j * 784)..<((j + 1) * 784)]) == one, "signal \(j): alone and in the batch")
            let largest = one.indices.sorted { abs(one[$0]) > abs(one[$1]) }.prefix(32)
            let pixels = Array(Set(largest).union((0..<32).map { _ in random.index(784) })).sorted()
            let numeric = numericGradient(at: image.map(Double.init), indices: pixels, step: 1e-6) {
                dot(seed, chain.forward($0, batch: 1, through: top)[top])
            }
            let scale = numeric.map(abs).max()!, worst = zip(pixels.map { one[$0] }, numeric).map { abs(Double($0) - $1) }.max()!
            #expect(worst <= 1e-3 * scale, "from layer \(top), signal \(j): largest difference \(worst), largest component \(scale)")
        }
    }

    /// The two ways back through a convolution agree, through LeNet-5 and through the strided,
    /// padded chain, under every rule (tolerance 1e-5 of the largest magnitude).
    @Test func bothConvolutionBackwardsAgree() throws {
        for net in [try Self.network(), LeNet5(seed: 4).network] {
            var random = TestRandom(51)
            let images = random.uniform(2 * net.inputCount).map { Float(abs($0)) }
            let top = net.layers.count - 1, pass = net.trace(images: images)
            let seeds = random.uniform(2 * net.classes).map(Float.init)
            for rule in BackwardRule.allCases {
                let flipped = net.backward(seeds, from: top, through: pass, sources: [0, 1], rule: rule)
                let columns = net.backward(seeds, from: top, through: pass, sources: [0, 1], rule: rule, convolutions: .columns)
                let scale = flipped.map(abs).max()!, worst = zip(flipped, columns).map { abs($0 - $1) }.max()!
                print("\(net.isLeNet5 ? "LeNet-5" : "strided chain") \(rule): flipped filters against columns, "
                    + "largest difference \(worst / scale) of the largest magnitude (tolerance 1e-5)")
                #expect(worst <= 1e-5 * scale)
            }
        }
    }
}

/// The chain in Double, layer by layer from `Reference`, images one after another in PyTorch's layout.
struct ReferenceChain {
    let net: Network

    init(_ net: Network) { self.net = net }

    /// Every layer's output for `n` images, image-major, up to layer `last`.
    func forward(_ images: [Double], batch n: Int, through last: Int? = nil) -> [[Double]] {
        var x = images
        if let norm = net.normalization { x = x.map { ($0 - Double(norm.mean)) / Double(norm.std) } }
        var outputs = [[Double]]()
        for (i, layer) in net.layers.enumerated().prefix((last ?? net.layers.count - 1) + 1) {
            let w = net.weights(of: i).map(Double.init), b = net.bias(of: i).map(Double.init)
            switch layer {
            case .convolution(let c):
                // Reference convolution is channel-major (C, n, H, W): go through it one image at a time.
                x = (0..<n).flatMap { image in
                    Reference.convForward(c, input: Array(x[image * c.inputCount..<(image + 1) * c.inputCount]), weight: w, bias: b, batch: 1)
                }
            case .relu: x = Reference.reluForward(x)
            case .maxPool(let p), .averagePool(let p):
                let isMax = { if case .maxPool = layer { true } else { false } }()
                var y = [Double]()
                for plane in 0..<(n * p.channels) {
                    for oy in 0..<p.outputHeight {
                        for ox in 0..<p.outputWidth {
                            var values = [Double]()
                            for ky in 0..<p.kernel {
                                for kx in 0..<p.kernel {
                                    values.append(x[plane * p.inputHeight * p.inputWidth + (oy * p.stride + ky) * p.inputWidth + ox * p.stride + kx])
                                }
                            }
                            y.append(isMax ? values.max()! : values.reduce(0, +) / Double(values.count))
                        }
                    }
                }
                x = y
            case .flatten: break
            case .linear(let l): x = Reference.linearForward(l, input: x, weight: w, bias: b, batch: n)
            case .logSoftmax: x = Reference.logSoftmaxForward(x, classes: net.classes)
            }
            outputs.append(x)
        }
        return outputs
    }
}
