import Testing
import Network

@Suite struct CheckpointHookTests {
    func trainer() -> Trainer {
        var options = TrainingOptions()
        options.epochs = 2
        options.batchSize = 50   // 160 images: 4 steps per epoch, the last holding 10 images
        return Trainer(model: LeNet5(seed: 6), options: options)
    }

    /// The hook sees the requested steps, counted over the whole run, with the model as it is
    /// then; taking checkpoints does not change the training.
    @Test func checkpointsAfterTheRequestedSteps() throws {
        let data = SyntheticDigits(count: 160, seed: 6)
        let withHook = trainer()
        var taken: [(step: Int, model: LeNet5)] = []
        _ = try withHook.train(on: data, test: data, checkpointSteps: [1, 4, 5, 8, 99]) { taken.append(($0, $1)) }
        #expect(taken.map(\.step) == [1, 4, 5, 8])
        #expect(withHook.step == 8)
        #expect(taken.last?.model == withHook.model, "the last step's checkpoint is the final model")
        #expect(taken[0].model != LeNet5(seed: 6) && taken[0].model != taken[1].model)

        let plain = trainer()
        _ = try plain.train(on: data, test: data)
        #expect(plain.model == withHook.model)

        // Step 4 ends the first epoch: the same as a run of one epoch.
        let oneEpoch = trainer()
        var history = TrainingHistory()
        _ = try oneEpoch.trainEpoch(1, on: data, history: &history)
        #expect(oneEpoch.model == taken[1].model)
    }
}
