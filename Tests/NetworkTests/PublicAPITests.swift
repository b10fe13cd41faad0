import Testing
import Network // not @testable: everything here must work from another module

/// After training, another module reads the filters and biases, and after a forward pass both
/// max-pool outputs and their switches.
@Suite struct PublicAPITests {
    @Test func filtersPoolOutputsAndSwitchesAreReachable() throws {
        let data = SyntheticDigits(count: 256, seed: 5)
        var options = TrainingOptions()
        options.epochs = 1
        options.batchSize = 32
        let trainer = Trainer(model: LeNet5(seed: 5), options: options)
        let history = try trainer.train(on: data, test: data)
        let model = trainer.model
        #expect(model != LeNet5(seed: 5), "training should change the weights")
        #expect(history.epochs.count == 1)

        #expect(model.conv1Filters.count == 6 * 25 && model[.conv1Bias].count == 6)
        #expect(model.conv2Filters.count == 16 * 6 * 25 && model[.conv2Bias].count == 16)
        #expect(LeNet5.Parameter.conv2Weight.shape == [16, 6, 5, 5])

        let n = 3
        let pass = model.forward(images: Array(data.images[0..<(n * 784)]))
        #expect(pass.pool1.count == n * 6 * 14 * 14 && pass.pool1Switches.count == pass.pool1.count)
        #expect(pass.pool2.count == n * 16 * 5 * 5 && pass.pool2Switches.count == pass.pool2.count)
        #expect(pass.predictions.count == n)
        // Each switch names the largest value of its 2 × 2 window in the rectified conv output.
        func checkSwitches(pooled: [Float], switches: [Int32], conv: [Float], side: Int) {
            let outSide = side / 2
            for (i, s) in switches.enumerated() {
                let plane = i / (outSide * outSide), o = i % (outSide * outSide)
                let (oy, ox) = (o / outSide, o % outSide), (y, x) = (Int(s) / side, Int(s) % side)
                #expect(y / 2 == oy && x / 2 == ox, "switch \(s) of output \(i) lies outside its window")
                let window = [0, 1, side, side + 1].map { conv[plane * side * side + 2 * oy * side + 2 * ox + $0] }
                #expect(pooled[i] == conv[plane * side * side + Int(s)] && pooled[i] == window.max()!)
            }
        }
        checkSwitches(pooled: pass.pool1, switches: pass.pool1Switches, conv: pass.conv1, side: 28)
        checkSwitches(pooled: pass.pool2, switches: pass.pool2Switches, conv: pass.conv2, side: 10)
    }
}
