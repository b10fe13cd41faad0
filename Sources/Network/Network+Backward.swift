import Foundation

extension Network {
    /// Sends signals down through layers `top`, `top − 1`, …, `bottom`. `signal` holds m signals,
    /// each shaped as layer `top`'s output, image-major; signal j belongs to image `sources[j]` of
    /// `pass`, whose ReLU outputs, switches and log-probabilities it reads (a pass that kept
    /// `tracedLayers(below: top)` with switches). Returns the m signals shaped as layer `bottom`'s
    /// input: the image, in the network's input units, when `bottom` is 0.
    ///
    /// Each layer's step, with no bias anywhere: log-softmax, dy − softmax · Σ dy; linear, dY · W;
    /// ReLU, `rule`; flatten, back to maps; max-pool, each value to where its switch says (summed
    /// where windows overlap); average pool, each value / K² to every position of its window;
    /// convolution, the transposed convolution: the signal spread out to the stride, padded by
    /// K − 1 − P (and by what the stride left out of the forward pass at the bottom and right),
    /// convolved with the filters flipped and their input and output channels swapped. With the
    /// `gradient` rule this is the gradient of ⟨signal, layer top's output⟩ with respect to the
    /// input of layer `bottom`. Every signal's result is computed in one order that does not
    /// depend on the others, so it is the same for any `threads`. `convolutions` chooses how the
    /// transposed convolution is computed (the same map, in another order of operations).
    public func backward(_ signal: [Float], from top: Int, to bottom: Int = 0, through pass: NetworkPass, sources: [Int],
                         rule: BackwardRule, convolutions: ConvolutionBackward = .flippedFilters, threads: Int = 1) -> [Float] {
        precondition(layers.indices.contains(top) && (0...top).contains(bottom), "backward from \(top) to \(bottom)")
        let topCount = outputShapes[top].reduce(1, *), bottomCount = inputShape(of: bottom).reduce(1, *)
        precondition(signal.count == sources.count * topCount, "one signal of \(topCount) values per source")
        let m = sources.count
        guard m > 0 else { return [] }
        let chunk = backwardChunk(from: top, to: bottom, convolutions: convolutions)
        let flipped = convolutions == .columns ? [:] : Dictionary(uniqueKeysWithValues: (bottom...top).compactMap { i -> (Int, [Float])? in
            guard case .convolution(let c) = layers[i] else { return nil }
            return (i, c.flippedWeights(Array(weights(of: i))))
        })
        let largest = (bottom...top).map { max(outputShapes[$0].reduce(1, *), inputShape(of: $0).reduce(1, *)) }.max()!
        let columns = (bottom...top).map { i -> Int in
            guard case .convolution(let c) = layers[i] else { return 0 }
            return convolutions == .columns ? c.columnsCount(batch: chunk) : c.transposeGeometry.columnsCount(batch: chunk)
        }.max()!
        func compute(into result: UnsafeMutablePointer<Float>) {
            signal.withUnsafeBufferPointer { signal in
                parallelFor(Engine.shards, threads: threads) { s in
                    let range = Engine.shardRange(s, of: m)
                    guard !range.isEmpty else { return }
                    var a = Buffer<Float>(count: chunk * largest), b = Buffer<Float>(count: chunk * largest)
                    let cols = Buffer<Float>(count: columns), scratch = Scratch()
                    for start in Swift.stride(from: range.lowerBound, to: range.upperBound, by: chunk) {
                        let mc = min(chunk, range.upperBound - start)
                        let from = Array(sources[start..<start + mc])
                        Self.toChunkLayout(signal.baseAddress! + start * topCount, into: a.pointer, shape: outputShapes[top], count: mc)
                        var i = top
                        while i >= bottom {
                            if convolutions == .columns, rule == .gradient,
                               let block = routedBlock(endingAt: i, above: bottom, pass: pass) {
                                routedStep(block, from: a.pointer, to: b.pointer, count: mc, pass: pass, sources: from, scratch: scratch)
                                swap(&a, &b)
                                i -= 3
                                continue
                            }
                            if backwardStep(i, from: a.pointer, to: b.pointer, count: mc, pass: pass, sources: from, rule: rule,
                                            convolutions: convolutions, flipped: flipped[i], columns: cols.pointer) {
                                swap(&a, &b)
                            }
                            i -= 1
                        }
                        Self.fromChunkLayout(a.pointer, into: result + start * bottomCount, shape: inputShape(of: bottom), count: mc)
                    }
                }
            }
        }
        // Every signal's rows are written (by `fromChunkLayout`), so the result is filled in place.
        return [Float](unsafeUninitializedCapacity: m * bottomCount) { result, initialized in
            compute(into: result.baseAddress!)
            initialized = m * bottomCount
        }
    }

    /// Signals per chunk: as many as keep the largest transposed convolution's im2col matrix
    /// within `GeneralPass.columnBudget`, or, for `.columns`, the largest product's columns within
    /// a megabyte (they are written, then read back by col2im: in the second-level cache, not
    /// from memory).
    private func backwardChunk(from top: Int, to bottom: Int, convolutions: ConvolutionBackward) -> Int {
        let perSignal = (bottom...top).map { i -> Int in
            guard case .convolution(let c) = layers[i] else { return 0 }
            return convolutions == .columns ? c.columnsCount(batch: 1) : c.transposeGeometry.columnsCount(batch: 1)
        }.max()!
        let budget = convolutions == .columns ? 1 << 18 : GeneralPass.columnBudget
        return max(1, min(Engine.inferenceChunk, budget / max(perSignal, 1)))
    }

    /// The convolution of a block that ends at layer `i` as LeNet-5's conv2 block does (a
    /// convolution with `Conv2D.hasDirect16Kernel`, ReLU, 2×2/2 max-pooling), all three at or
    /// above `bottom`, when `pass` kept the ReLU's output and the switches: `routedStep` takes the
    /// gradient through all three at once.
    private func routedBlock(endingAt i: Int, above bottom: Int, pass: NetworkPass) -> (layer: Int, conv: Conv2D)? {
        guard i - 2 >= bottom, case .maxPool(let pool) = layers[i], pool.kernel == 2, pool.stride == 2, case .relu = layers[i - 1],
              case .convolution(let conv) = layers[i - 2], conv.hasDirect16Kernel, pass.outputs[i - 1] != nil, pass.switches[i] != nil
        else { return nil }
        return (i - 2, conv)
    }

    /// The gradient from the pooled output of a `routedBlock` to its convolution's input
    /// (`Conv2D.conv2InputGradient`): only the output each window's switch names passes, where
    /// the ReLU let it through (the window's maximum positive), a quarter of the products of the
    /// transposed convolution. The same map as the three steps, in another order of operations.
    private func routedStep(_ block: (layer: Int, conv: Conv2D), from input: UnsafeMutablePointer<Float>,
                            to output: UnsafeMutablePointer<Float>, count m: Int, pass: NetworkPass, sources: [Int], scratch: Scratch) {
        let conv = block.conv, windows = conv.outputPlane / 4
        let rectified = pass.outputs[block.layer + 1]!, switches = pass.switches[block.layer + 2]!
        // The pass's switches and the maxima they name, in the chunk layout (16, m, windows).
        var pooled = [Float](repeating: 0, count: 16 * m * windows), chosen = [Int32](repeating: 0, count: 16 * m * windows)
        for c in 0..<16 {
            for (j, image) in sources.enumerated() {
                let at = (image * 16 + c) * windows, to = (c * m + j) * windows, plane = (image * 16 + c) * conv.outputPlane
                for w in 0..<windows {
                    chosen[to + w] = switches[at + w]
                    pooled[to + w] = rectified[plane + Int(switches[at + w])]
                }
            }
        }
        parameters.withUnsafeBufferPointer { p in
            conv.conv2InputGradient(inputGradient: output, pooledGradient: input, pooled: pooled, switches: chosen,
                                    weight: p.baseAddress! + parameterOffsets[block.layer], batch: m, scratch: scratch)
        }
    }

    /// Image-major (m, C, H, W) maps to the chunk's channel-major (C, m, H, W); vectors stay (m, F).
    static func toChunkLayout(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, shape: [Int], count m: Int) {
        guard shape.count == 3 else { return destination.update(from: source, count: m * shape[0]) }
        let (channels, plane) = (shape[0], shape[1] * shape[2])
        for j in 0..<m {
            for c in 0..<channels { copyFloats(destination + (c * m + j) * plane, source + (j * channels + c) * plane, plane) }
        }
    }

    static func fromChunkLayout(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, shape: [Int], count m: Int) {
        guard shape.count == 3 else { return destination.update(from: source, count: m * shape[0]) }
        let (channels, plane) = (shape[0], shape[1] * shape[2])
        for j in 0..<m {
            for c in 0..<channels { copyFloats(destination + (j * channels + c) * plane, source + (c * m + j) * plane, plane) }
        }
    }

    /// One layer of `backward`, from the signal at its output (`input`, m signals in the chunk
    /// layout) to the signal at its input; returns false when done in place.
    private func backwardStep(_ i: Int, from input: UnsafeMutablePointer<Float>, to output: UnsafeMutablePointer<Float>, count m: Int,
                              pass: NetworkPass, sources: [Int], rule: BackwardRule, convolutions: ConvolutionBackward,
                              flipped: [Float]?, columns: UnsafeMutablePointer<Float>) -> Bool {
        let outShape = outputShapes[i], inShape = inputShape(of: i)
        switch layers[i] {
        case .logSoftmax:
            let classes = outShape[0], logProbabilities = pass.outputs[i]!
            for (j, image) in sources.enumerated() {
                let dy = input + j * classes
                var sum: Float = 0
                for k in 0..<classes { sum += dy[k] }
                for k in 0..<classes { output[j * classes + k] = dy[k] - exp(logProbabilities[image * classes + k]) * sum }
            }
        case .linear(let l):
            zeroFloats(output, m * l.inFeatures)
            parameters.withUnsafeBufferPointer { p in
                multiplyAccumulate(rows: m, columns: l.inFeatures, depth: l.outFeatures, input, aRowStride: l.outFeatures, aDepthStride: 1,
                                   p.baseAddress! + parameterOffsets[i], bRowStride: l.inFeatures, output, cRowStride: l.inFeatures)
            }
        case .relu:
            let mask = pass.outputs[i]!
            let (channels, plane) = outShape.count == 3 ? (outShape[0], outShape[1] * outShape[2]) : (1, outShape[0])
            mask.withUnsafeBufferPointer { mask in
                for c in 0..<channels {
                    for (j, image) in sources.enumerated() {
                        let s = input + (c * m + j) * plane, f = mask.baseAddress! + (image * channels + c) * plane
                        // One loop per rule, so that each is a loop of lanes.
                        switch rule {
                        case .gradient: for p in 0..<plane { s[p] = BackwardRule.gradient.pass(s[p], forward: f[p]) }
                        case .deconvnet: for p in 0..<plane { s[p] = BackwardRule.deconvnet.pass(s[p], forward: f[p]) }
                        case .guided: for p in 0..<plane { s[p] = BackwardRule.guided.pass(s[p], forward: f[p]) }
                        }
                    }
                }
            }
            return false
        case .flatten:
            let (channels, plane) = (inShape[0], inShape[1] * inShape[2])
            for c in 0..<channels {
                for j in 0..<m { copyFloats(output + (c * m + j) * plane, input + (j * channels + c) * plane, plane) }
            }
        case .maxPool(let pool):
            let switches = pass.switches[i]!, overlapping = pool.stride < pool.kernel
            zeroFloats(output, m * pool.inputCount)
            for c in 0..<pool.channels {
                for (j, image) in sources.enumerated() {
                    let s = input + (c * m + j) * pool.outputPlane, x = output + (c * m + j) * pool.inputPlane
                    let at = (image * pool.channels + c) * pool.outputPlane
                    for o in 0..<pool.outputPlane {
                        let target = Int(switches[at + o])
                        if overlapping { x[target] += s[o] } else { x[target] = s[o] }
                    }
                }
            }
        case .averagePool(let pool):
            zeroFloats(output, m * pool.inputCount)
            let area = Float(pool.kernel * pool.kernel)
            for plane in 0..<(pool.channels * m) {
                let s = input + plane * pool.outputPlane, x = output + plane * pool.inputPlane
                for oy in 0..<pool.outputHeight {
                    for ox in 0..<pool.outputWidth {
                        let share = s[oy * pool.outputWidth + ox] / area
                        for ky in 0..<pool.kernel {
                            for kx in 0..<pool.kernel { x[(oy * pool.stride + ky) * pool.inputWidth + ox * pool.stride + kx] += share }
                        }
                    }
                }
            }
        case .convolution(let conv):
            switch convolutions {
            case .flippedFilters:
                conv.transpose(input, into: output, count: m, flippedWeights: flipped!, columns: columns)
            case .columns:
                parameters.withUnsafeBufferPointer { p in
                    conv.inputGradient(input, into: output, count: m, weight: p.baseAddress! + parameterOffsets[i], columns: columns)
                }
            }
        }
        return true
    }
}

/// How `Network.backward` takes a signal back through a convolution: both compute the transposed
/// convolution (no bias), in different orders of operations, so their results differ in the last
/// bits; each is the same on every AVX2 machine and for any batch and thread count.
public enum ConvolutionBackward: Sendable, Equatable {
    /// The signal spread out to the stride, padded, and convolved with the filters flipped and
    /// their channels swapped (`Conv2D.transpose`): the deconvnet as Zeiler and Fergus describe it,
    /// and how every projection of the report is computed.
    case flippedFilters
    /// One matrix product of the filters' transpose with the signal, then each product added into
    /// the input position it comes from (`Conv2D.inputGradient`, PyTorch's col2im): for LeNet-5
    /// about half the multiply-adds of the flipped filters and a fifth of the memory traffic. The
    /// class attributions use it.
    case columns
}

extension Conv2D {
    /// The stride-1 convolution that `transpose` runs over the spread, padded signal: the layer's
    /// output channels in, its input channels out, its input's size out.
    var transposeGeometry: Conv2D {
        let (height, width) = transposePadded
        return Conv2D(inChannels: outChannels, outChannels: inChannels, kernel: kernel, stride: 1, padding: 0,
                      inputHeight: height, inputWidth: width)
    }

    /// The spread and padded signal's size: (O − 1) · S + 1 plus K − 1 − P on each side, plus the
    /// rows and columns at the bottom and right that the forward pass's stride never reached.
    private var transposePadded: (height: Int, width: Int) {
        let pad = kernel - 1 - padding
        let height = (outputHeight - 1) * stride + 1 + 2 * pad + (inputHeight + 2 * padding - kernel) % stride
        let width = (outputWidth - 1) * stride + 1 + 2 * pad + (inputWidth + 2 * padding - kernel) % stride
        return (height, width)
    }

    /// The transposed convolution of `m` signals (Cout, m, Ho, Wo) into (Cin, m, H, W), with no
    /// bias, as the gradient of the convolution with respect to its input. First `columns`
    /// (Cin·K·K rows, one per input channel and kernel row and column; m·Ho·Wo columns) = Wᵀ ·
    /// signal by `multiplyAccumulate` from zero, each element the sum over the output channels in
    /// order; then, for each input channel, kernel row and kernel column in order, each image and
    /// output position: input[c, image, oy·S − P + ky, ox·S − P + kx] += columns[(c, ky, kx),
    /// (image, oy, ox)], leaving out what falls in the padding. Each input value is so the sum,
    /// from 0 in (ky, kx) order, of the products of the positions its kernel offsets reach.
    func inputGradient(_ signal: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count m: Int,
                       weight: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let width = m * outputPlane
        zeroFloats(columns, patchSize * width)
        multiplyAccumulate(rows: patchSize, columns: width, depth: outChannels, weight, aRowStride: 1, aDepthStride: patchSize,
                           signal, bRowStride: width, columns, cRowStride: width, packing: true)
        zeroFloats(output, inChannels * m * inputPlane)
        for c in 0..<inChannels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let row = columns + ((c * kernel + ky) * kernel + kx) * width, valid = validColumns(kx)
                    for image in 0..<m {
                        let plane = output + (c * m + image) * inputPlane, source = row + image * outputPlane
                        for oy in 0..<outputHeight {
                            let y = oy * stride - padding + ky
                            guard y >= 0, y < inputHeight else { continue }
                            let line = plane + y * inputWidth, from = source + oy * outputWidth
                            // Each input gets one addition per (ky, kx), in that order, either way.
                            if stride == 1 {
                                addFloats(line + valid.lowerBound - padding + kx, from + valid.lowerBound, valid.count)
                            } else {
                                for ox in valid { line[ox * stride - padding + kx] += from[ox] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// (Cout, Cin, K, K) → (Cin, Cout, K, K) with each K × K kernel rotated by 180°.
    public func flippedWeights(_ weights: [Float]) -> [Float] {
        precondition(weights.count == weightCount, "\(weightCount) weights expected")
        let k = kernel
        var flipped = [Float](repeating: 0, count: weights.count)
        for o in 0..<outChannels {
            for i in 0..<inChannels {
                for y in 0..<k {
                    for x in 0..<k {
                        flipped[((i * outChannels + o) * k + (k - 1 - y)) * k + (k - 1 - x)] =
                            weights[((o * inChannels + i) * k + y) * k + x]
                    }
                }
            }
        }
        return flipped
    }

    /// The transposed convolution of `m` signals (Cout, m, Ho, Wo) into (Cin, m, H, W), with no bias.
    func transpose(_ signal: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count m: Int, flippedWeights: [Float],
                   columns: UnsafeMutablePointer<Float>) {
        let geometry = transposeGeometry
        let pad = kernel - 1 - padding
        let spread = Buffer<Float>(count: m * geometry.inputCount)
        let (height, width) = (geometry.inputHeight, geometry.inputWidth)
        // Which of each signal's channels carry anything (plane c · m + j): a deconvnet's seed has one.
        let carries = (0..<(outChannels * m)).map { plane in
            let s = signal + plane * outputPlane
            return (0..<outputPlane).contains { s[$0] != 0 }
        }
        for c in 0..<outChannels {
            for j in 0..<m where carries[c * m + j] {
                let s = signal + (c * m + j) * outputPlane, x = spread.pointer + (c * m + j) * height * width
                for oy in 0..<outputHeight {
                    let y = oy * stride + pad
                    guard y >= 0, y < height else { continue }
                    for ox in 0..<outputWidth {
                        let column = ox * stride + pad
                        if column >= 0, column < width { x[y * width + column] = s[oy * outputWidth + ox] }
                    }
                }
            }
        }
        let patch = kernel * kernel
        flippedWeights.withUnsafeBufferPointer { w in
            guard 8 * carries.filter({ $0 }).count <= m * outChannels else {
                let zeros = [Float](repeating: 0, count: inChannels)
                zeros.withUnsafeBufferPointer { bias in
                    geometry.forward(output: output, input: spread.pointer, weight: w.baseAddress!, bias: bias.baseAddress!,
                                     batch: m, columns: columns)
                }
                return
            }
            // Few channels carry anything: a product per signal and channel over that channel's
            // filters alone. Each output is the same sum in the same order, without the products of
            // zeros (which add exactly nothing), so the same bits in an eighth of the work or less.
            let single = Conv2D(inChannels: 1, outChannels: inChannels, kernel: kernel, inputHeight: height, inputWidth: width)
            zeroFloats(output, inChannels * m * inputPlane)
            for j in 0..<m {
                for c in 0..<outChannels where carries[c * m + j] {
                    single.im2col(spread.pointer + (c * m + j) * height * width, batch: 1, into: columns)
                    multiplyAccumulate(rows: inChannels, columns: inputPlane, depth: patch, w.baseAddress! + c * patch,
                                       aRowStride: outChannels * patch, aDepthStride: 1, columns, bRowStride: inputPlane,
                                       output + j * inputPlane, cRowStride: m * inputPlane, packing: true)
                }
            }
        }
    }
}
