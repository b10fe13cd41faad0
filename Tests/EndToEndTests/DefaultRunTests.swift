import Foundation
import Network
import MNIST
import Testing

/// `report`'s default run (seed 1, batch 64, Adam at 1e-3 on a cosine over 10 epochs of all
/// 60,000 training images) reproduces values recorded with this engine, bit for bit: the loss of
/// each of the first 20 steps (as Float bit patterns), the SHA-256 of the weights after step 20,
/// and of the weights and of every step's loss after the first epoch. A change to any kernel's
/// order of operations changes them; then record them anew, on purpose, and say why.
@Suite struct DefaultRunTests {
    static let firstLosses: [UInt32] = [
        0x4013D05E, 0x401325D6, 0x4011F367, 0x40127D48, 0x401382CC,
        0x40124CC3, 0x4012B182, 0x40125771, 0x40127FA2, 0x40118ED4,
        0x40116152, 0x400FA3F2, 0x400FC28A, 0x400F1C0C, 0x400DEBA3,
        0x400C55C0, 0x400A7F5C, 0x4009F75B, 0x400A2806, 0x40059DAB,
    ]
    // Recorded anew when conv1's and conv2's backward kernels came to visit only the outputs that
    // max-pooling's switches name, which changed the order of their sums (stated in
    // Conv1Kernels.swift and Conv2Kernels.swift); the first 20 losses stayed the same.
    static let weightsAfterStep20 = "65ce1a01e2a305bf48e8c2d4b75133078ae0fccb09355b7596a6a27e06dc7810"
    static let weightsAfterEpoch1 = "c807b72d0b8ed4324cdcc69636e4bdf3ffa53f670b80c31a08d04d968ffe0c8c"
    static let lossesOfEpoch1 = "59fa4dbfbe81e20f8dbb6a1c0d4536cd147e557839a4a9805d11d72dc78def91"

    @Test func firstStepsReproduceRecordedValues() throws {
        let mnist = try MNIST.load(from: repository.appendingPathComponent("Data").path)
        let trainer = Trainer(model: LeNet5(seed: 1), options: TrainingOptions(), threads: 2)
        var history = TrainingHistory()
        var afterStep20 = ""
        _ = try trainer.trainEpoch(1, on: mnist.train, history: &history, checkpointSteps: [20]) { _, model in
            afterStep20 = digest(model.parameters)
        }
        let losses = history.stepLosses.prefix(20).map(\.bitPattern)
        #expect(losses == Self.firstLosses, "losses of steps 1–20: \(losses.map { "0x" + String($0, radix: 16) })")
        #expect(afterStep20 == Self.weightsAfterStep20, "weights after step 20: \(afterStep20)")
        let afterEpoch1 = digest(trainer.model.parameters), lossDigest = digest(history.stepLosses)
        #expect(afterEpoch1 == Self.weightsAfterEpoch1, "weights after epoch 1: \(afterEpoch1)")
        #expect(lossDigest == Self.lossesOfEpoch1, "losses of epoch 1: \(lossDigest)")
    }

    /// SHA-256 of the floats' little-endian bytes.
    func digest(_ values: [Float]) -> String {
        SHA256.hex(values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }
}
