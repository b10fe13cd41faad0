/// The forward pass of any network, on the general kernels: `Conv2D.forward` (im2col and one
/// matrix product), the pooling loops below, `Linear.forward`, `LogSoftmax`. Maps are
/// channel-major, (C, m, H, W), within a chunk of m images, as `Conv2D` wants them; vectors are
/// (m, features).
enum GeneralPass {
    /// Floats of im2col matrix a chunk may use: 8 MB, so that a chunk's columns stay in the
    /// last-level cache, and at most 64 images, as LeNet-5's chunks.
    static let columnBudget = 2 << 20

    static func chunk(_ net: Network, last: Int) -> Int {
        let perImage = net.layers[0...last].map { layer -> Int in
            if case .convolution(let c) = layer { c.columnsCount(batch: 1) } else { 0 }
        }.max() ?? 0
        return max(1, min(Engine.inferenceChunk, columnBudget / max(perImage, 1)))
    }

    static func run(_ net: Network, images: [Float], count n: Int, sink: PassSink, last: Int, threads: Int) {
        let chunk = chunk(net, last: last)
        let largest = ([net.inputCount] + net.outputShapes[0...last].map { $0.reduce(1, *) }).max()!
        let columns = net.layers[0...last].map { layer -> Int in
            if case .convolution(let c) = layer { c.columnsCount(batch: chunk) } else { 0 }
        }.max() ?? 0
        let switchCount = net.layers[0...last].map { layer -> Int in
            if case .maxPool(let p) = layer { p.outputCount } else { 0 }
        }.max() ?? 0
        images.withUnsafeBufferPointer { images in
            net.parameters.withUnsafeBufferPointer { parameters in
                let (images, parameters) = (images.baseAddress!, parameters.baseAddress!)
                parallelFor(Engine.shards, threads: threads) { s in
                    let range = Engine.shardRange(s, of: n)
                    guard !range.isEmpty else { return }
                    var a = Buffer<Float>(count: chunk * largest), b = Buffer<Float>(count: chunk * largest)
                    let cols = Buffer<Float>(count: columns), switches = Buffer<Int32>(count: chunk * switchCount, zero: 0)
                    for start in Swift.stride(from: range.lowerBound, to: range.upperBound, by: chunk) {
                        let m = min(chunk, range.upperBound - start)
                        a.pointer.update(from: images + start * net.inputCount, count: m * net.inputCount)
                        net.normalization?.apply(a.pointer, count: m * net.inputCount)
                        for i in 0...last {
                            let wrote = step(net, layer: i, from: a.pointer, to: b.pointer, batch: m, parameters: parameters,
                                             columns: cols.pointer, switches: switches.pointer)
                            if wrote { swap(&a, &b) }
                            let shape = net.outputShapes[i], plane = shape.count == 3 ? shape[1] * shape[2] : 0
                            sink.keep(a.pointer, into: sink.outputs[i], start: start, count: m, channels: shape[0], plane: plane)
                            if case .maxPool = net.layers[i] {
                                sink.keep(switches.pointer, into: sink.switches[i], start: start, count: m,
                                          channels: shape[0], plane: plane)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Runs layer `i` on `input` (m images); returns true when the result is in `output`, false
    /// when it was computed in place.
    static func step(_ net: Network, layer i: Int, from input: UnsafeMutablePointer<Float>, to output: UnsafeMutablePointer<Float>,
                     batch m: Int, parameters: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>,
                     switches: UnsafeMutablePointer<Int32>) -> Bool {
        let weight = parameters + net.parameterOffsets[i]
        switch net.layers[i] {
        case .convolution(let c):
            c.forward(output: output, input: input, weight: weight, bias: weight + c.weightCount, batch: m, columns: columns)
        case .relu:
            ReLU.forward(input, count: m * net.outputShapes[i].reduce(1, *))
            return false
        case .maxPool(let p):
            p.maxForward(output: output, switches: switches, input: input, planes: p.channels * m)
        case .averagePool(let p):
            p.averageForward(output: output, input: input, planes: p.channels * m)
        case .flatten:
            let shape = net.inputShape(of: i), plane = shape[1] * shape[2]
            for c in 0..<shape[0] {
                for image in 0..<m {
                    copyFloats(output + (image * shape[0] + c) * plane, input + (c * m + image) * plane, plane)
                }
            }
        case .linear(let l):
            l.forward(output: output, input: input, weight: weight, bias: weight + l.weightCount, batch: m)
        case .logSoftmax:
            LogSoftmax.forward(output: output, input: input, batch: m, classes: net.classes)
        }
        return true
    }
}

extension Pooling {
    /// Each window's maximum, the first one on ties, and where it was in its input plane (y · W + x),
    /// for `planes` input planes one after another.
    func maxForward(output: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>, input: UnsafePointer<Float>, planes: Int) {
        for plane in 0..<planes {
            let x = input + plane * inputPlane, o = plane * outputPlane
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var at = oy * stride * inputWidth + ox * stride
                    var best = x[at]
                    for ky in 0..<kernel {
                        for kx in 0..<kernel {
                            let i = (oy * stride + ky) * inputWidth + ox * stride + kx
                            if x[i] > best { (best, at) = (x[i], i) }
                        }
                    }
                    output[o + oy * outputWidth + ox] = best
                    switches[o + oy * outputWidth + ox] = Int32(at)
                }
            }
        }
    }

    /// Each window's mean: its values summed row by row from 0, then divided by K · K.
    func averageForward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, planes: Int) {
        let area = Float(kernel * kernel)
        for plane in 0..<planes {
            let x = input + plane * inputPlane, o = plane * outputPlane
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var sum: Float = 0
                    for ky in 0..<kernel {
                        for kx in 0..<kernel { sum += x[(oy * stride + ky) * inputWidth + ox * stride + kx] }
                    }
                    output[o + oy * outputWidth + ox] = sum / area
                }
            }
        }
    }
}

/// LeNet-5's forward pass on its own fused kernels (`LeNet5.forward`), which keep the outputs of
/// these layers: ReLU and pooling of both convolutions, the flatten, the hidden ReLUs and the
/// log-softmax.
enum LeNet5Pass {
    static let provided: Set<Int> = [1, 2, 4, 5, 6, 8, 10, 12]

    static func provides(_ kept: Set<Int>) -> Bool { kept.isSubset(of: provided) }

    static func run(_ net: Network, images: [Float], count n: Int, sink: PassSink, last: Int, switches: Bool, threads: Int) {
        let engine = Engine(capacityPerShard: min(Engine.inferenceChunk, (n + 1) / 2), training: false, threads: threads,
                            keepsConvolutionOutputs: sink.outputs[1] != nil || sink.outputs[4] != nil)
        let classifier = last > 5
        images.withUnsafeBufferPointer { images in
            net.parameters.withUnsafeBufferPointer { parameters in
                let (images, parameters) = (images.baseAddress!, parameters.baseAddress!)
                engine.eachShard { s, w in
                    let range = Engine.shardRange(s, of: n)
                    for start in Swift.stride(from: range.lowerBound, to: range.upperBound, by: w.capacity) {
                        let m = min(w.capacity, range.upperBound - start)
                        w.input.pointer.update(from: images + start * net.inputCount, count: m * net.inputCount)
                        net.normalization?.apply(w.input.pointer, count: m * net.inputCount)
                        LeNet5.forward(parameters, w, batch: m, classifier: classifier, switches: switches)
                        let (plane1, plane2) = (LeNet5.pool1.outputPlane, LeNet5.pool2.outputPlane)
                        let (c1, c2) = (LeNet5.conv1.outChannels, LeNet5.conv2.outChannels)
                        if let conv1 = w.conv1 {
                            sink.keep(conv1.pointer, into: sink.outputs[1], start: start, count: m, channels: c1,
                                      plane: LeNet5.conv1.outputPlane)
                        }
                        sink.keep(w.pool1.pointer, into: sink.outputs[2], start: start, count: m, channels: c1, plane: plane1)
                        sink.keep(w.switches1.pointer, into: sink.switches[2], start: start, count: m, channels: c1, plane: plane1)
                        if let conv2 = w.conv2 {
                            sink.keep(conv2.pointer, into: sink.outputs[4], start: start, count: m, channels: c2,
                                      plane: LeNet5.conv2.outputPlane)
                        }
                        sink.keep(w.pool2.pointer, into: sink.outputs[5], start: start, count: m, channels: c2, plane: plane2)
                        sink.keep(w.switches2.pointer, into: sink.switches[5], start: start, count: m, channels: c2, plane: plane2)
                        guard classifier else { continue }
                        sink.keep(w.flat.pointer, into: sink.outputs[6], start: start, count: m, channels: LeNet5.fc1.inFeatures, plane: 0)
                        sink.keep(w.fc1.pointer, into: sink.outputs[8], start: start, count: m, channels: LeNet5.fc1.outFeatures, plane: 0)
                        sink.keep(w.fc2.pointer, into: sink.outputs[10], start: start, count: m, channels: LeNet5.fc2.outFeatures, plane: 0)
                        sink.keep(w.logProbabilities.pointer, into: sink.outputs[12], start: start, count: m,
                                  channels: LeNet5.classes, plane: 0)
                    }
                }
            }
        }
    }
}
