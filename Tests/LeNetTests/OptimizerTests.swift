import Testing
@testable import LeNet

@Suite struct OptimizerTests {
    /// Two Adam steps worked by hand with β = (0.9, 0.999), ε = 1e-8, lr = 0.1 and gradients 2 then −1;
    /// tolerance 1e-5, a few Float roundings.
    @Test func adamFollowsPyTorchsUpdate() {
        let adam = Optimizer(.adam, count: 1)
        var p: [Float] = [1]
        adam.step(&p, gradient: [2], learningRate: 0.1)
        // m = 0.2, v = 0.004; m̂ = 2, v̂ = 4 → p = 1 − 0.1 · 2 / (2 + 1e-8)
        #expect(abs(p[0] - 0.9) < 1e-6, "first step gave \(p[0])")
        adam.step(&p, gradient: [-1], learningRate: 0.1)
        // m = 0.08, v = 0.004995; m̂ = 0.08/0.19, v̂ = 0.004995/0.001999
        let mHat = 0.08 / 0.19, vHat = 0.004995 / (1 - 0.999 * 0.999)
        let expected = 0.9 - 0.1 * mHat / (vHat.squareRoot() + 1e-8)
        #expect(abs(Double(p[0]) - expected) < 1e-5, "second step gave \(p[0]), expected \(expected)")
    }

    /// SGD with momentum 0.9: v ← 0.9 v + g, p ← p − lr v.
    @Test func sgdWithMomentum() {
        let sgd = Optimizer(.sgd, count: 2)
        var p: [Float] = [1, -1]
        sgd.step(&p, gradient: [1, 2], learningRate: 0.5)
        #expect(p == [0.5, -2])
        sgd.step(&p, gradient: [1, 0], learningRate: 0.5)   // v = (1.9, 1.8)
        #expect(abs(p[0] - -0.45) < 1e-6 && abs(p[1] - -2.9) < 1e-6, "got \(p)")
    }

    /// The step runs eight lanes at a time with a shorter tail: 21 parameters stepped together
    /// must equal, bit for bit, 21 one-parameter optimizers stepped alone.
    @Test(arguments: OptimizerKind.allCases)
    func everyLaneStepsLikeAParameterAlone(_ kind: OptimizerKind) {
        var random = TestRandom(21)
        let count = 21
        let together = Optimizer(kind, count: count), alone = (0..<count).map { _ in Optimizer(kind, count: 1) }
        var p = random.uniform(count).map(Float.init), q = p
        for _ in 0..<3 {
            let g = random.uniform(count).map(Float.init)
            together.step(&p, gradient: g, learningRate: 0.01)
            for i in 0..<count {
                var qi = [q[i]]
                alone[i].step(&qi, gradient: [g[i]], learningRate: 0.01)
                q[i] = qi[0]
            }
        }
        #expect(p == q, "largest difference \(zip(p, q).map { abs($0 - $1) }.max()!)")
    }

    @Test func cosineScheduleFallsFromTheFullRateToZero() {
        let s = LearningRateSchedule.cosine
        #expect(s.rate(0.1, step: 0, of: 100) == 0.1)
        #expect(abs(s.rate(0.1, step: 50, of: 100) - 0.05) < 1e-7)
        #expect(s.rate(0.1, step: 99, of: 100) < 1e-4)
        #expect(LearningRateSchedule.constant.rate(0.1, step: 99, of: 100) == 0.1)
    }
}
