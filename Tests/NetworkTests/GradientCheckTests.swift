import Testing
@testable import Network

/// Finite-difference checks in Double: each reference layer's backward pass against central
/// differences of its forward pass. Tolerance: 1e-6 relative (central differences with h = 1e-6
/// are accurate to ~1e-9 here).
@Suite struct GradientCheckTests {
    let tolerance = 1e-6

    @Test(arguments: [
        Conv2D(inChannels: 1, outChannels: 3, kernel: 5, padding: 2, inputHeight: 6, inputWidth: 7),   // conv1's kind
        Conv2D(inChannels: 3, outChannels: 4, kernel: 5, inputHeight: 7, inputWidth: 6),               // conv2's kind
        Conv2D(inChannels: 2, outChannels: 2, kernel: 3, stride: 2, padding: 1, inputHeight: 5, inputWidth: 5),
    ])
    func conv2D(_ c: Conv2D) {
        var random = TestRandom(1)
        let n = 2
        let x = random.uniform(n * c.inputCount), w = random.uniform(c.weightCount, scale: 0.5), b = random.uniform(c.outChannels)
        let g = random.uniform(n * c.outputCount)
        let analytic = Reference.convBackward(c, outputGradient: g, input: x, weight: w, batch: n)
        let dx = numericGradient(at: x) { dot(g, Reference.convForward(c, input: $0, weight: w, bias: b, batch: n)) }
        let dw = numericGradient(at: w) { dot(g, Reference.convForward(c, input: x, weight: $0, bias: b, batch: n)) }
        let db = numericGradient(at: b) { dot(g, Reference.convForward(c, input: x, weight: w, bias: $0, batch: n)) }
        expectClose(analytic.input, dx, tolerance: tolerance, "conv input gradient")
        expectClose(analytic.weight, dw, tolerance: tolerance, "conv weight gradient")
        expectClose(analytic.bias, db, tolerance: tolerance, "conv bias gradient")
    }

    @Test(arguments: [MaxPool2D(channels: 3, inputHeight: 6, inputWidth: 8), MaxPool2D(channels: 2, inputHeight: 10, inputWidth: 10)])
    func maxPool(_ p: MaxPool2D) {
        var random = TestRandom(2)
        let n = 2
        let x = random.distinct(n * p.inputCount), g = random.uniform(n * p.outputCount)
        let switches = Reference.maxPoolForward(p, input: x, batch: n).switches
        let analytic = Reference.maxPoolBackward(p, outputGradient: g, switches: switches, batch: n)
        let numeric = numericGradient(at: x) { dot(g, Reference.maxPoolForward(p, input: $0, batch: n).output) }
        expectClose(analytic, numeric, tolerance: tolerance, "max-pool input gradient")
    }

    @Test func relu() {
        var random = TestRandom(3)
        let x = random.awayFromZero(50), g = random.uniform(50)
        let analytic = Reference.reluBackward(outputGradient: g, input: x)
        let numeric = numericGradient(at: x) { dot(g, Reference.reluForward($0)) }
        expectClose(analytic, numeric, tolerance: tolerance, "ReLU input gradient")
        #expect(analytic.contains(0) && analytic.contains { $0 != 0 }, "the check should cover both sides of the kink")
    }

    @Test func linear() {
        var random = TestRandom(4)
        let l = Linear(inFeatures: 7, outFeatures: 5), n = 3
        let x = random.uniform(n * 7), w = random.uniform(35), b = random.uniform(5), g = random.uniform(n * 5)
        let analytic = Reference.linearBackward(l, outputGradient: g, input: x, weight: w, batch: n)
        expectClose(analytic.input, numericGradient(at: x) { dot(g, Reference.linearForward(l, input: $0, weight: w, bias: b, batch: n)) },
                    tolerance: tolerance, "linear input gradient")
        expectClose(analytic.weight, numericGradient(at: w) { dot(g, Reference.linearForward(l, input: x, weight: $0, bias: b, batch: n)) },
                    tolerance: tolerance, "linear weight gradient")
        expectClose(analytic.bias, numericGradient(at: b) { dot(g, Reference.linearForward(l, input: x, weight: w, bias: $0, batch: n)) },
                    tolerance: tolerance, "linear bias gradient")
    }

    @Test func logSoftmax() {
        var random = TestRandom(5)
        let x = random.uniform(3 * 10, scale: 3), g = random.uniform(3 * 10)
        let y = Reference.logSoftmaxForward(x, classes: 10)
        let analytic = Reference.logSoftmaxBackward(outputGradient: g, output: y, classes: 10)
        let numeric = numericGradient(at: x) { dot(g, Reference.logSoftmaxForward($0, classes: 10)) }
        expectClose(analytic, numeric, tolerance: tolerance, "log-softmax input gradient")
    }

    @Test func nllLoss() {
        var random = TestRandom(6)
        let n = 4, logp = random.uniform(n * 10), labels = random.labels(n)
        // The gradient of the mean: −1/n at each label.
        var analytic = [Double](repeating: 0, count: n * 10)
        for (row, label) in labels.enumerated() { analytic[row * 10 + Int(label)] = -1 / Double(n) }
        let numeric = numericGradient(at: logp) { Reference.nllLoss(logProbabilities: $0, labels: labels, classes: 10) }
        expectClose(analytic, numeric, tolerance: tolerance, "NLL gradient")
    }

    /// The whole network in Double: analytic gradients from chaining the reference layers against
    /// central differences of the loss, on a sample of every tensor's coordinates and of the input.
    @Test func wholeNetwork() {
        var random = TestRandom(7)
        let n = 2
        let parameters = LeNet5(seed: 7).parameters.map(Double.init)
        let input = random.uniform(n * LeNet5.inputCount).map { abs($0) }
        let labels = random.labels(n)
        let analytic = ReferenceNetwork.gradients(parameters: parameters, input: input, labels: labels)

        var sample = [Int]()
        for p in LeNet5.Parameter.allCases {
            for _ in 0..<12 { sample.append(p.offset + Int(random.generator.next() % UInt64(p.count))) }
        }
        let numeric = numericGradient(at: parameters, indices: sample, step: 1e-5) {
            ReferenceNetwork.loss(parameters: $0, input: input, labels: labels)
        }
        expectClose(sample.map { analytic.parameters[$0] }, numeric, tolerance: 1e-6, "whole-network parameter gradient")

        let pixels = (0..<40).map { _ in Int(random.generator.next() % UInt64(input.count)) }
        let numericInput = numericGradient(at: input, indices: pixels, step: 1e-5) {
            ReferenceNetwork.loss(parameters: parameters, input: $0, labels: labels)
        }
        expectClose(pixels.map { analytic.input[$0] }, numericInput, tolerance: 1e-6, "whole-network input gradient")
    }
}
