import Testing
@testable import Network

@Suite struct BatchActivationsTests {
    let model = LeNet5(seed: 31)
    let n = 13   // two shards of 6 and 7 images, in chunks of 4: full and partial chunks
    var images: [Float] { SyntheticDigits(count: n, seed: 31).images }

    /// The pooled maps, switches and log-probabilities are the engine's, bit for bit as
    /// `forward(images:)` gives them for the whole batch at once; fc2 after ReLU and the
    /// log-probabilities match the Double reference network image by image within 1e-5 (relative,
    /// see `worstRelativeError`).
    @Test func keepsWhatTheForwardPassComputes() {
        let batch = model.activations(images: images, keeping: [.pool1, .pool2, .switches, .fc2, .logProbabilities], chunk: 4)
        let whole = model.forward(images: images)
        #expect(batch.count == n)
        #expect(batch.pool1 == whole.pool1 && batch.pool1Switches == whole.pool1Switches, "pool1 and its switches")
        #expect(batch.pool2 == whole.pool2 && batch.pool2Switches == whole.pool2Switches, "pool2 and its switches")
        #expect(batch.logProbabilities.map(\.bitPattern) == whole.logProbabilities.map(\.bitPattern), "log-probabilities")

        let parameters = model.parameters.map(Double.init)
        var fc2 = [Double](), logProbabilities = [Double]()
        for i in 0..<n {
            let trace = ReferenceNetwork.forward(parameters: parameters, input: images[(i * 784)..<((i + 1) * 784)].map(Double.init))
            fc2 += trace.relu4
            logProbabilities += trace.logp
        }
        expectClose(batch.fc2, fc2, tolerance: 1e-5, "fc2 after ReLU")
        expectClose(batch.logProbabilities, logProbabilities, tolerance: 1e-5, "log-probabilities")
        #expect(batch.fc2.count == n * 84 && batch.fc2.contains { $0 > 0 } && batch.fc2.allSatisfy { $0 >= 0 })
    }

    @Test func keepsOnlyWhatIsAskedAndTheSameOnOneThread() {
        let two = model.activations(images: images, keeping: [.pool2, .logProbabilities], chunk: 4)
        #expect(two.pool1.isEmpty && two.pool1Switches.isEmpty && two.pool2Switches.isEmpty && two.fc2.isEmpty)
        #expect(two.pool2.count == n * 400 && two.logProbabilities.count == n * 10)
        let one = model.activations(images: images, keeping: [.pool2, .logProbabilities], chunk: 4, threads: 1)
        #expect(one.pool2 == two.pool2 && one.logProbabilities.map(\.bitPattern) == two.logProbabilities.map(\.bitPattern))
        #expect(model.activations(images: [], keeping: [.pool1]).count == 0)
        let first = Array(images[0..<784])
        #expect(model.activations(images: first, keeping: [.pool1]).pool1 == model.forward(images: first).pool1, "one image")
    }
}
