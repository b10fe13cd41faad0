import Foundation
import Testing
@testable import Network

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

    /// The vectorised step on 263 parameters (whole vectors and a tail) against the update rules
    /// written out in Double, over three steps; tolerance 1e-5 relative (Float rounding).
    @Test(arguments: OptimizerKind.allCases)
    func vectorisedStepFollowsTheRules(_ kind: OptimizerKind) {
        var random = TestRandom(21)
        let count = 263, rate = 0.01
        let optimizer = Optimizer(kind, count: count)
        var p = random.uniform(count).map(Float.init)
        var q = p.map(Double.init), m = [Double](repeating: 0, count: count), v = m
        for t in 1...3 {
            let g = random.uniform(count)
            optimizer.step(&p, gradient: g.map(Float.init), learningRate: Float(rate))
            for i in 0..<count {
                let gi = Double(Float(g[i]))
                switch kind {
                case .sgd:
                    m[i] = 0.9 * m[i] + gi
                    q[i] -= rate * m[i]
                case .adam:
                    m[i] = 0.9 * m[i] + 0.1 * gi
                    v[i] = 0.999 * v[i] + 0.001 * gi * gi
                    let mHat = m[i] / (1 - pow(0.9, Double(t))), vHat = v[i] / (1 - pow(0.999, Double(t)))
                    q[i] -= rate * mHat / (vHat.squareRoot() + 1e-8)
                }
            }
        }
        expectClose(p, q, tolerance: 1e-5, "\(kind) parameters after three steps")
    }

    @Test func cosineScheduleFallsFromTheFullRateToZero() {
        let s = LearningRateSchedule.cosine
        #expect(s.rate(0.1, step: 0, of: 100) == 0.1)
        #expect(abs(s.rate(0.1, step: 50, of: 100) - 0.05) < 1e-7)
        #expect(s.rate(0.1, step: 99, of: 100) < 1e-4)
        #expect(LearningRateSchedule.constant.rate(0.1, step: 99, of: 100) == 0.1)
    }
}
