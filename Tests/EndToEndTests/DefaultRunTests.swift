import Foundation
import LeNet
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
    static let weightsAfterStep20 = "7e2ea47dd473842996bfc6258ad291f45fe011e0a404f76cf62f2f22f897af8b"
    static let weightsAfterEpoch1 = "af6cb37075cca2db90dcae0cbd0231201c1b61d9023e5e669f17f0563d26c8b5"
    static let lossesOfEpoch1 = "9fa6835aaba614c8ed3e6086b640e5af05f3727483c56eb9ceedd0a0fd76ab56"

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
