/// Slow, obvious versions of every layer over arrays, generic so that tests can run them in Double
/// for finite-difference checks and compare the fast `Float` kernels against them.
enum Reference {
    /// input (n, Cin, H, W), weight (Cout, Cin, K, K), bias (Cout) → (n, Cout, Ho, Wo).
    static func convForward<T: BinaryFloatingPoint>(_ c: Conv2D, input: [T], weight: [T], bias: [T], batch n: Int) -> [T] {
        var output = [T](repeating: 0, count: n * c.outputCount)
        for image in 0..<n { for o in 0..<c.outChannels { for oy in 0..<c.outputHeight { for ox in 0..<c.outputWidth {
            var sum = bias[o]
            for i in 0..<c.inChannels { for ky in 0..<c.kernel { for kx in 0..<c.kernel {
                let iy = oy * c.stride - c.padding + ky, ix = ox * c.stride - c.padding + kx
                guard iy >= 0, iy < c.inputHeight, ix >= 0, ix < c.inputWidth else { continue }
                sum += weight[((o * c.inChannels + i) * c.kernel + ky) * c.kernel + kx]
                    * input[((image * c.inChannels + i) * c.inputHeight + iy) * c.inputWidth + ix]
            }}}
            output[((image * c.outChannels + o) * c.outputHeight + oy) * c.outputWidth + ox] = sum
        }}}}
        return output
    }

    /// Gradients of `convForward` with respect to input, weight and bias.
    static func convBackward<T: BinaryFloatingPoint>(
        _ c: Conv2D, outputGradient: [T], input: [T], weight: [T], batch n: Int
    ) -> (input: [T], weight: [T], bias: [T]) {
        var dInput = [T](repeating: 0, count: input.count)
        var dWeight = [T](repeating: 0, count: weight.count)
        var dBias = [T](repeating: 0, count: c.outChannels)
        for image in 0..<n { for o in 0..<c.outChannels { for oy in 0..<c.outputHeight { for ox in 0..<c.outputWidth {
            let g = outputGradient[((image * c.outChannels + o) * c.outputHeight + oy) * c.outputWidth + ox]
            dBias[o] += g
            for i in 0..<c.inChannels { for ky in 0..<c.kernel { for kx in 0..<c.kernel {
                let iy = oy * c.stride - c.padding + ky, ix = ox * c.stride - c.padding + kx
                guard iy >= 0, iy < c.inputHeight, ix >= 0, ix < c.inputWidth else { continue }
                let w = ((o * c.inChannels + i) * c.kernel + ky) * c.kernel + kx
                let x = ((image * c.inChannels + i) * c.inputHeight + iy) * c.inputWidth + ix
                dWeight[w] += g * input[x]
                dInput[x] += g * weight[w]
            }}}
        }}}}
        return (dInput, dWeight, dBias)
    }

    /// 2×2/2 max-pooling over (n·C) planes of H × W; switches index into each input plane, and the
    /// first maximum in row-major order wins ties.
    static func maxPoolForward<T: BinaryFloatingPoint>(_ p: MaxPool2D, input: [T], batch n: Int) -> (output: [T], switches: [Int32]) {
        var output = [T](repeating: 0, count: n * p.outputCount)
        var switches = [Int32](repeating: 0, count: n * p.outputCount)
        for plane in 0..<(n * p.channels) { for oy in 0..<p.outputHeight { for ox in 0..<p.outputWidth {
            var best = -T.infinity, at = 0
            for dy in 0..<2 { for dx in 0..<2 {
                let local = (2 * oy + dy) * p.inputWidth + 2 * ox + dx
                let value = input[plane * p.inputPlane + local]
                if value > best { best = value; at = local }
            }}
            let o = (plane * p.outputHeight + oy) * p.outputWidth + ox
            output[o] = best
            switches[o] = Int32(at)
        }}}
        return (output, switches)
    }

    /// Routes each output gradient to the input position its switch names.
    static func maxPoolBackward<T: BinaryFloatingPoint>(_ p: MaxPool2D, outputGradient: [T], switches: [Int32], batch n: Int) -> [T] {
        var dInput = [T](repeating: 0, count: n * p.inputCount)
        for plane in 0..<(n * p.channels) { for o in 0..<p.outputPlane {
            let index = plane * p.outputPlane + o
            dInput[plane * p.inputPlane + Int(switches[index])] += outputGradient[index]
        }}
        return dInput
    }

    static func reluForward<T: BinaryFloatingPoint>(_ x: [T]) -> [T] { x.map { max($0, 0) } }

    static func reluBackward<T: BinaryFloatingPoint>(outputGradient: [T], input: [T]) -> [T] {
        zip(outputGradient, input).map { $1 > 0 ? $0 : 0 }
    }

    /// input (n, in), weight (out, in), bias (out) → (n, out).
    static func linearForward<T: BinaryFloatingPoint>(_ l: Linear, input: [T], weight: [T], bias: [T], batch n: Int) -> [T] {
        var output = [T](repeating: 0, count: n * l.outFeatures)
        for image in 0..<n { for o in 0..<l.outFeatures {
            var sum = bias[o]
            for i in 0..<l.inFeatures { sum += weight[o * l.inFeatures + i] * input[image * l.inFeatures + i] }
            output[image * l.outFeatures + o] = sum
        }}
        return output
    }

    static func linearBackward<T: BinaryFloatingPoint>(
        _ l: Linear, outputGradient: [T], input: [T], weight: [T], batch n: Int
    ) -> (input: [T], weight: [T], bias: [T]) {
        var dInput = [T](repeating: 0, count: input.count)
        var dWeight = [T](repeating: 0, count: weight.count)
        var dBias = [T](repeating: 0, count: l.outFeatures)
        for image in 0..<n { for o in 0..<l.outFeatures {
            let g = outputGradient[image * l.outFeatures + o]
            dBias[o] += g
            for i in 0..<l.inFeatures {
                dWeight[o * l.inFeatures + i] += g * input[image * l.inFeatures + i]
                dInput[image * l.inFeatures + i] += g * weight[o * l.inFeatures + i]
            }
        }}
        return (dInput, dWeight, dBias)
    }

    /// Row-wise log-softmax of (n, classes).
    static func logSoftmaxForward<T: BinaryFloatingPoint & ElementaryFunctions>(_ x: [T], classes: Int) -> [T] {
        stride(from: 0, to: x.count, by: classes).flatMap { start -> [T] in
            let row = x[start..<start + classes]
            let m = row.max()!
            let logSum = m + T.log(row.reduce(0) { $0 + T.exp($1 - m) })
            return row.map { $0 - logSum }
        }
    }

    static func logSoftmaxBackward<T: BinaryFloatingPoint & ElementaryFunctions>(outputGradient: [T], output: [T], classes: Int) -> [T] {
        var dInput = [T](repeating: 0, count: output.count)
        for start in stride(from: 0, to: output.count, by: classes) {
            let sum = outputGradient[start..<start + classes].reduce(0, +)
            for j in start..<start + classes { dInput[j] = outputGradient[j] - T.exp(output[j]) * sum }
        }
        return dInput
    }

    /// Mean negative log-likelihood over the labelled rows.
    static func nllLoss<T: BinaryFloatingPoint>(logProbabilities: [T], labels: [Int32], classes: Int) -> T {
        let total = labels.enumerated().reduce(T(0)) { $0 - logProbabilities[$1.offset * classes + Int($1.element)] }
        return total / T(labels.count)
    }
}
