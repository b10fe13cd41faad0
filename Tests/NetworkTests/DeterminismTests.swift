import Testing
@testable import Network

@Suite struct DeterminismTests {
    func train(seed: UInt64, threads: Int) throws -> LeNet5 {
        var options = TrainingOptions()
        options.epochs = 2
        options.batchSize = 50          // 310 images: the last batch of each epoch holds 10
        options.seed = seed
        let data = SyntheticDigits(count: 310, seed: 8)
        let trainer = Trainer(model: LeNet5(seed: seed), options: options, threads: threads)
        _ = try trainer.train(on: data, test: data)
        return trainer.model
    }

    @Test func sameSeedGivesBitIdenticalWeightsOnOneOrTwoThreads() throws {
        let one = try train(seed: 3, threads: 1), two = try train(seed: 3, threads: 2), again = try train(seed: 3, threads: 2)
        let differing = zip(one.parameters, two.parameters).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(LeNet5.parameterCount) weights differ between 1 and 2 threads")
        #expect(two.parameters.map(\.bitPattern) == again.parameters.map(\.bitPattern))
        #expect(try train(seed: 4, threads: 2) != two, "another seed should give other weights")
    }

    @Test func divergenceIsReported() {
        var options = TrainingOptions()
        options.learningRate = 1e6
        options.schedule = .constant
        options.optimizer = .sgd
        let data = SyntheticDigits(count: 200, seed: 1)
        let trainer = Trainer(model: LeNet5(seed: 1), options: options)
        #expect {
            _ = try trainer.train(on: data, test: data)
        } throws: { error in
            "\(error)".contains("training diverged") && "\(error)".contains("try a lower --learning-rate")
        }
    }
}
