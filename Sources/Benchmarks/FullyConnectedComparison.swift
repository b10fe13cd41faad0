import CBLAS
import Dispatch
import Network

extension Linear {
    /// The layer's forward pass through `cblas_sgemm`, as the engine ran it before it had kernels
    /// of its own. Only the yardstick of `BLAS.compareFullyConnected`: OpenBLAS chooses its
    /// kernels, and with them the order of its sums, by processor, so no reported number may
    /// come from here.
    func sgemmForward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                      weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int) {
        for row in 0..<n { (output + row * outFeatures).update(from: bias, count: outFeatures) }
        sgemm(transposeB: true, m: n, n: outFeatures, k: inFeatures, input, weight, beta: 1, output)
    }

    /// The backward pass through `cblas_sgemm`; see `sgemmForward`.
    func sgemmBackward(inputGradient: UnsafeMutablePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
                       biasGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                       input: UnsafePointer<Float>, weight: UnsafePointer<Float>, batch n: Int) {
        for row in 0..<n {
            let g = outputGradient + row * outFeatures
            for o in 0..<outFeatures { biasGradient[o] += g[o] }
        }
        sgemm(transposeA: true, m: outFeatures, n: inFeatures, k: n, outputGradient, input, beta: 1, weightGradient)
        sgemm(m: n, n: inFeatures, k: outFeatures, outputGradient, weight, inputGradient)
    }
}

/// Seconds spent in the fully connected layers' forward and backward passes.
public struct FullyConnectedTimes: Sendable {
    public let forward: Double
    public let backward: Double
}

extension BLAS {
    /// Times fc1, fc2 and fc3 forward and backward over `images` images in shards of `shard` (a
    /// training epoch's shards, so the times compare with the profile's CPU time), on this
    /// thread, once with the engine's kernels and once with `cblas_sgemm`, alternately for
    /// `rounds` rounds; returns each one's fastest round. The host is shared: alternating gives
    /// both the same conditions, and the fastest round is the least disturbed.
    public static func compareFullyConnected(images: Int = 60_000, shard: Int = 32, rounds: Int = 3)
        -> (kernels: FullyConnectedTimes, sgemm: FullyConnectedTimes) {
        useCallingThreadOnly()
        let layers = [LeNet5.fc1, LeNet5.fc2, LeNet5.fc3]
        var random = SplitMix64(seed: 9)
        func filled(_ count: Int, scale: Float) -> Buffer<Float> {
            let buffer = Buffer<Float>(count: count)
            for i in 0..<count { buffer.pointer[i] = (random.nextUnitFloat() - 0.5) * scale }
            return buffer
        }
        // Per layer: input, weight, bias, output, output gradient, input gradient, weight and bias gradients.
        let buffers = layers.map { l in
            [filled(shard * l.inFeatures, scale: 2), filled(l.weightCount, scale: 0.1), filled(l.outFeatures, scale: 0.1),
             filled(shard * l.outFeatures, scale: 0), filled(shard * l.outFeatures, scale: 0.01), filled(shard * l.inFeatures, scale: 0),
             filled(l.weightCount, scale: 0), filled(l.outFeatures, scale: 0)]
        }
        func epoch(usingSgemm: Bool) -> FullyConnectedTimes {
            let shards = images / shard
            var start = DispatchTime.now()
            for _ in 0..<shards {
                for (l, b) in zip(layers, buffers) {
                    if usingSgemm {
                        l.sgemmForward(output: b[3].pointer, input: b[0].pointer, weight: b[1].pointer, bias: b[2].pointer, batch: shard)
                    } else {
                        l.forward(output: b[3].pointer, input: b[0].pointer, weight: b[1].pointer, bias: b[2].pointer, batch: shard)
                    }
                }
            }
            let forward = elapsedSeconds(since: start)
            start = DispatchTime.now()
            for _ in 0..<shards {
                for (l, b) in zip(layers, buffers).reversed() {
                    if usingSgemm {
                        l.sgemmBackward(inputGradient: b[5].pointer, weightGradient: b[6].pointer, biasGradient: b[7].pointer,
                                        outputGradient: b[4].pointer, input: b[0].pointer, weight: b[1].pointer, batch: shard)
                    } else {
                        l.backward(inputGradient: b[5].pointer, weightGradient: b[6].pointer, biasGradient: b[7].pointer,
                                   outputGradient: b[4].pointer, input: b[0].pointer, weight: b[1].pointer, batch: shard)
                    }
                }
            }
            return FullyConnectedTimes(forward: forward, backward: elapsedSeconds(since: start))
        }
        var kernels = FullyConnectedTimes(forward: .infinity, backward: .infinity), sgemm = kernels
        for _ in 0..<rounds {
            let k = epoch(usingSgemm: false), s = epoch(usingSgemm: true)
            kernels = FullyConnectedTimes(forward: min(kernels.forward, k.forward), backward: min(kernels.backward, k.backward))
            sgemm = FullyConnectedTimes(forward: min(sgemm.forward, s.forward), backward: min(sgemm.backward, s.backward))
        }
        return (kernels, sgemm)
    }
}
