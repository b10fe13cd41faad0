import Testing
@testable import Network

@Suite struct ModelTests {
    /// Every layer's size from O = (I + 2P − K) / S + 1, worked out by hand here.
    @Test func outputSizesFollowTheFormula() {
        #expect(outputSize(input: 28, kernel: 5, stride: 1, padding: 2) == 28)   // (28 + 4 − 5) / 1 + 1
        #expect(outputSize(input: 28, kernel: 2, stride: 2, padding: 0) == 14)   // (28 − 2) / 2 + 1
        #expect(outputSize(input: 14, kernel: 5, stride: 1, padding: 0) == 10)   // (14 − 5) / 1 + 1
        #expect(outputSize(input: 10, kernel: 2, stride: 2, padding: 0) == 5)    // (10 − 2) / 2 + 1
        #expect(outputSize(input: 7, kernel: 3, stride: 2, padding: 1) == 4)     // (7 + 2 − 3) / 2 + 1

        let shapes = Dictionary(uniqueKeysWithValues: LeNet5.layers.map { ($0.name, $0.outputShape) })
        #expect(shapes["conv1"] == [6, 28, 28])
        #expect(shapes["pool1"] == [6, 14, 14])
        #expect(shapes["conv2"] == [16, 10, 10])
        #expect(shapes["pool2"] == [16, 5, 5])
        #expect(shapes["flatten"] == [400])
        #expect(LeNet5.layers.map(\.name) == ["input", "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten",
                                              "fc1", "relu3", "fc2", "relu4", "fc3", "log_softmax"])
        #expect(LeNet5.layers.last?.outputShape == [10])
        // Each table row's spatial size comes from the formula applied to the previous row.
        for (previous, layer) in zip(LeNet5.layers, LeNet5.layers.dropFirst()) where layer.kernel != nil {
            for axis in 1...2 {
                #expect(layer.outputShape[axis] == outputSize(input: previous.outputShape[axis], kernel: layer.kernel!,
                                                              stride: layer.stride!, padding: layer.padding!), "\(layer.name)")
            }
        }
    }

    @Test func parameterCountsAndFLOPs() {
        // 6·25+6, 16·150+16, 400·120+120, 120·84+84, 84·10+10
        #expect(LeNet5.parameterCount == 156 + 2416 + 48120 + 10164 + 850)
        #expect(LeNet5.layers.reduce(0) { $0 + $1.parameterCount } == LeNet5.parameterCount)
        #expect(LeNet5.Parameter.allCases.map(\.shape) == [[6, 1, 5, 5], [6], [16, 6, 5, 5], [16], [120, 400], [120],
                                                            [84, 120], [84], [10, 84], [10]])
        // 2 · (4704·25 + 1600·150 + 400·120 + 120·84 + 84·10)
        #expect(LeNet5.forwardFLOPs == 833_040)
    }

    /// PyTorch's default: uniform in ±1/√fanIn, and reproducible from the seed.
    @Test func initialisation() {
        let model = LeNet5(seed: 3)
        for p in LeNet5.Parameter.allCases {
            let bound = 1 / Float(p.fanIn).squareRoot(), values = model[p]
            #expect(values.allSatisfy { abs($0) <= bound }, "\(p.name) exceeds ±\(bound)")
            if values.count >= 100 {
                #expect(values.max()! > 0.9 * bound && values.min()! < -0.9 * bound, "\(p.name) does not fill ±\(bound)")
            }
        }
        #expect(LeNet5(seed: 3) == model)
        #expect(LeNet5(seed: 4) != model)
    }

    /// The engine's Float forward and backward passes over the whole network against the Double
    /// reference. Tolerance: 1e-4 of each tensor's largest gradient.
    @Test func engineMatchesTheReferenceNetwork() {
        var random = TestRandom(21)
        let n = 3
        let model = LeNet5(seed: 21)
        let input = random.uniform(n * LeNet5.inputCount).map { abs($0) }
        let labels = random.labels(n)
        let w = Workspace(capacity: n)
        for i in input.indices { w.input.pointer[i] = Float(input[i]) }
        for i in labels.indices { w.labels.pointer[i] = labels[i] }
        model.parameters.withUnsafeBufferPointer { p in
            LeNet5.forward(p.baseAddress!, w, batch: n)
            LeNet5.backward(p.baseAddress!, w, batch: n, batchSize: n)
        }

        let parameters = model.parameters.map(Double.init)
        let trace = ReferenceNetwork.forward(parameters: parameters, input: input)
        expectClose(w.logProbabilities.array, trace.logp, tolerance: 1e-5, "log-probabilities")
        #expect(imageMajor(w.switches1.array, n: n, channels: 6) == trace.switches1
                && imageMajor(w.switches2.array, n: n, channels: 16) == trace.switches2, "max-pool switches")
        let reference = ReferenceNetwork.gradients(parameters: parameters, input: input, labels: labels).parameters
        let gradient = w.gradient.array
        for p in LeNet5.Parameter.allCases {
            let scale = reference[p.range].map(abs).max()!
            let worst = zip(gradient[p.range], reference[p.range]).map { abs(Double($0) - $1) }.max()!
            #expect(scale > 0, "\(p.name) gets no gradient")
            #expect(worst <= 1e-4 * scale, "\(p.name): worst difference \(worst), largest gradient \(scale)")
        }
    }

    /// A workspace that ran a full batch gives, on a smaller one (an epoch's last batch), the
    /// gradient a fresh workspace gives: nothing a pass leaves behind, at offsets that depend on the
    /// batch's size, reaches the next one.
    @Test func reusedWorkspaceGivesAFreshOnesGradient() {
        let data = SyntheticDigits(count: 11, seed: 23)
        let model = LeNet5(seed: 23)
        func gradient(_ w: Workspace, _ indices: Range<Int>) -> [Float] {
            w.load(data, indices)
            model.parameters.withUnsafeBufferPointer { p in
                LeNet5.forward(p.baseAddress!, w, batch: indices.count)
                LeNet5.backward(p.baseAddress!, w, batch: indices.count, batchSize: indices.count)
            }
            return w.gradient.array
        }
        let reused = Workspace(capacity: 8)
        _ = gradient(reused, 0..<8)
        let again = gradient(reused, 8..<11), fresh = gradient(Workspace(capacity: 8), 8..<11)
        #expect(again.map(\.bitPattern) == fresh.map(\.bitPattern), "worst difference \(zip(again, fresh).map { abs($0 - $1) }.max()!)")
    }

    /// A batch split over the shards gives the same gradient as one pass over the whole batch.
    @Test func shardedGradientEqualsWholeBatchGradient() {
        let n = 7   // odd: the shards differ in size
        let data = SyntheticDigits(count: n, seed: 22)
        let model = LeNet5(seed: 22)
        let whole = Workspace(capacity: n)
        whole.load(data, 0..<n)
        model.parameters.withUnsafeBufferPointer { p in
            LeNet5.forward(p.baseAddress!, whole, batch: n)
            LeNet5.backward(p.baseAddress!, whole, batch: n, batchSize: n)
        }
        var options = TrainingOptions()
        options.batchSize = n
        let trainer = Trainer(model: model, options: options, threads: 2)
        _ = trainer.trainStep(on: data, batch: Array(0..<n)[...], learningRate: 0)
        expectClose(trainer.lastGradient.map(Double.init), whole.gradient.array.map(Double.init), tolerance: 1e-6, "sharded gradient")
    }
}
