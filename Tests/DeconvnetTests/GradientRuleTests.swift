import Testing
@testable import Deconvnet
@testable import Network

/// The gradient rule is the true gradient: map c of layer l projects to ∂⟨seed, pool_l(x)⟩/∂x,
/// with seed the map's pooled activations (every other map 0) held fixed. Checked against central
/// differences of the reference layers in Double, on random weights and a noisy image, along
/// random directions (784 coordinate directions would take the slow reference half a minute).
@Suite struct GradientRuleTests {
    /// Random weights; conv1's biases made positive and conv2's raised by 0.5, so that no map is
    /// silent on the noise.
    let model = {
        var model = LeNet5(seed: 7)
        model[.conv1Bias] = ArraySlice(model[.conv1Bias].map(abs))
        model[.conv2Bias] = ArraySlice(model[.conv2Bias].map { abs($0) + 0.5 })
        return model
    }()
    /// Step of the central differences. The network is piecewise linear, so away from every kink
    /// the differences are exact up to rounding (about 1e-16 · |f| / h).
    let h = 1e-7

    struct DoublePass {
        var preactivations: [[Double]] = []  // conv1 (6, 28, 28), conv2 (16, 10, 10)
        var pooled: [[Double]] = []
        var switches: [[Int32]] = []
    }

    func forward(_ x: [Double]) -> DoublePass {
        var pass = DoublePass(), input = x
        for layer in Stage.allCases {
            let z = Reference.convForward(layer.conv, input: input, weight: model[layer.weights].map(Double.init),
                                          bias: model[layer.bias].map(Double.init), batch: 1)
            let (pooled, switches) = Reference.maxPoolForward(layer.pool, input: Reference.reluForward(z), batch: 1)
            pass.preactivations.append(z); pass.pooled.append(pooled); pass.switches.append(switches)
            input = pooled
        }
        return pass
    }

    /// The smallest distance of the pass from a kink: |pre-activation| anywhere, and in each
    /// pooling window with a positive maximum, the gap between its largest and second-largest
    /// rectified value.
    func margin(_ pass: DoublePass) -> Double {
        var margin = Double.infinity
        for (l, layer) in Stage.allCases.enumerated() {
            let z = pass.preactivations[l], p = layer.pool, w = p.inputWidth
            margin = min(margin, z.map(abs).min()!)
            for plane in 0..<p.channels {
                for oy in 0..<p.outputHeight {
                    for ox in 0..<p.outputWidth {
                        let window = [0, 1, w, w + 1].map { max(0, z[plane * p.inputHeight * w + 2 * oy * w + 2 * ox + $0]) }.sorted()
                        if window[3] > 0 { margin = min(margin, window[3] - window[2]) }
                    }
                }
            }
        }
        return margin
    }

    @Test func gradientRuleMatchesCentralDifferences() throws {
        let a = Pooled(model, noise), deconvnet = Deconvnet(network: model.network)
        let x = noise.map(Double.init), pass = forward(x)
        // A step of h along a direction in [−1, 1]^784 moves a conv1 pre-activation by at most
        // h times the largest Σ|w1| of a filter and a conv2 one by at most that times the largest
        // Σ|w2|; the pass must stay four such moves from a kink.
        func largestFilterSum(_ filters: [Float], count: Int) -> Double {
            let patch = filters.count / count
            return (0..<count).map { o in filters[(o * patch)..<((o + 1) * patch)].reduce(0) { $0 + abs(Double($1)) } }.max()!
        }
        let reach = h * largestFilterSum(model.conv1Filters, count: 6) * max(1, largestFilterSum(model.conv2Filters, count: 16))
        try #require(margin(pass) > 4 * reach, "the test point lies \(margin(pass)) from a kink; one step reaches \(reach)")
        // The Float engine and the Double reference route through the same maxima.
        for (l, layer) in Stage.allCases.enumerated() {
            let positive = a.pooled(layer).indices.filter { a.pooled(layer)[$0] > 0 }
            #expect(positive.allSatisfy { a.switches(layer)[$0] == pass.switches[l][$0] }, "\(layer): switches differ")
        }

        // f_k(x) = ⟨seed_k, pool_l(x)⟩ for all 22 maps from one forward pass per perturbed image.
        let maps = Stage.allMaps
        let seeds = maps.map { Deconvnet.keep(map: $0.map, of: a.pooled($0.layer), stage: $0.layer, mode: .wholeMap).map(Double.init) }
        func objectives(_ x: [Double]) -> [Double] {
            let p = forward(x)
            return maps.indices.map { k in zip(seeds[k], p.pooled[maps[k].layer == .conv1 ? 0 : 1]).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        let gradients = maps.map { deconvnet.reconstruct($0.layer, map: $0.map, of: a, rule: .gradient).map(Double.init) }
        for (k, (layer, map)) in maps.enumerated() {
            #expect(gradients[k].contains { $0 != 0 }, "\(layer) map \(map) is silent, so the check says nothing")
        }
        // ⟨∇f_k, v⟩ = (f_k(x + h v) − f_k(x − h v)) / 2h for random v. Tolerance 1e-4 of Σ|∇f_k · v|,
        // for the Float engine's rounding. The deconvnet's projections of conv2's maps are not
        // gradients: the check can tell.
        let deconvnetProjections = maps.map { deconvnet.reconstruct($0.layer, map: $0.map, of: a, rule: .deconvnet).map(Double.init) }
        var random = SplitMix64(seed: 99)
        var worst = (error: 0.0, what: ""), deconvnetWorst = 0.0
        for direction in 0..<24 {
            let v = (0..<784).map { _ in 2 * Double(random.nextUnitFloat()) - 1 }
            let up = objectives(zip(x, v).map { $0 + h * $1 }), down = objectives(zip(x, v).map { $0 - h * $1 })
            func error(_ g: [Double], _ k: Int) -> (Double, Double) {
                let numeric = (up[k] - down[k]) / (2 * h)
                let ours = zip(g, v).reduce(0) { $0 + $1.0 * $1.1 }, scale = zip(g, v).reduce(0) { $0 + abs($1.0 * $1.1) }
                return (abs(ours - numeric) / scale, ours)
            }
            for (k, (layer, map)) in maps.enumerated() {
                let (e, ours) = error(gradients[k], k)
                if e > worst.error { worst = (e, "\(layer) map \(map), direction \(direction): \(ours) vs \((up[k] - down[k]) / (2 * h))") }
                if layer == .conv2 { deconvnetWorst = max(deconvnetWorst, error(deconvnetProjections[k], k).0) }
            }
        }
        #expect(worst.error <= 1e-4, "worst relative difference \(worst.error) at \(worst.what)")
        #expect(deconvnetWorst > 1e-2, "the deconvnet rule passes as a gradient too (worst relative difference \(deconvnetWorst))")
    }
}
