import Testing
@testable import Network

/// The fast Float kernels against the Double references on random shapes and data. Tolerance:
/// 1e-5 relative, a few Float roundings over sums of at most a few hundred terms.
@Suite struct KernelTests {
    let tolerance = 1e-5

    static let convolutions = [
        LeNet5.conv1, LeNet5.conv2,
        Conv2D(inChannels: 3, outChannels: 5, kernel: 3, stride: 2, padding: 1, inputHeight: 9, inputWidth: 7),
        Conv2D(inChannels: 2, outChannels: 1, kernel: 4, stride: 1, padding: 3, inputHeight: 5, inputWidth: 6),
    ]

    /// The general im2col convolution (`apply`, the deconvnet's filters), on channel-major
    /// (C, n, H, W) data, against the reference on image-major (n, C, H, W) data.
    @Test(arguments: convolutions)
    func convolution(_ c: Conv2D) {
        var random = TestRandom(11)
        let n = 3
        let x = random.uniform(n * c.inputCount), w = random.uniform(c.weightCount), b = random.uniform(c.outChannels)
        let columns = Buffer<Float>(count: c.columnsCount(batch: n))
        var y = [Float](repeating: .nan, count: n * c.outputCount)
        c.forward(output: &y, input: channelMajor(x, n: n, channels: c.inChannels), weight: w.map(Float.init), bias: b.map(Float.init),
                  batch: n, columns: columns.pointer)
        expectClose(imageMajor(y, n: n, channels: c.outChannels), Reference.convForward(c, input: x, weight: w, bias: b, batch: n),
                    tolerance: tolerance, "conv output")
    }

    /// The direct kernels of single-channel convolutions with ReLU and max-pooling (conv1)
    /// against the reference: the rectified output against ReLU of the reference convolution,
    /// the pooling and switches exactly against the reference max-pool of that output, and the
    /// gradients against the reference convolution's, given the gradient that reaches it back
    /// through the pool and ReLU. Seven channels leave the last pair with one; a pooled width of
    /// 19 leaves a block of eight windows partly outside the row, one of 16 fills its last block.
    @Test(arguments: [
        LeNet5.conv1,
        Conv2D(inChannels: 1, outChannels: 7, kernel: 3, padding: 1, inputHeight: 10, inputWidth: 38),
        Conv2D(inChannels: 1, outChannels: 2, kernel: 4, padding: 0, inputHeight: 7, inputWidth: 9),
        Conv2D(inChannels: 1, outChannels: 3, kernel: 2, padding: 1, inputHeight: 9, inputWidth: 31),
    ])
    func conv1Kernels(_ c: Conv2D) {
        var random = TestRandom(16)
        let n = 3
        let pool = MaxPool2D(channels: c.outChannels, inputHeight: c.outputHeight, inputWidth: c.outputWidth)
        let x = random.uniform(n * c.inputCount), w = random.uniform(c.weightCount), b = random.uniform(c.outChannels)
        let g = random.uniform(n * pool.outputCount), dw0 = random.uniform(c.weightCount), db0 = random.uniform(c.outChannels)
        let padded = Buffer<Float>(count: c.paddedCount(batch: n)), plain = Buffer<Float>(count: c.plainPaddedCount(batch: n))
        c.pad(x.map(Float.init), batch: n, into: padded.pointer, plain: plain.pointer)
        var y = [Float](repeating: .nan, count: n * c.outputCount)
        var pooled = [Float](repeating: .nan, count: n * pool.outputCount), switches = [Int32](repeating: -1, count: pooled.count)
        var dw = dw0.map(Float.init), db = db0.map(Float.init)
        let (wf, bf) = (w.map(Float.init), b.map(Float.init))
        c.conv1FusedForward(pooled: &pooled, switches: &switches, rectified: &y, padded: padded.pointer, weight: wf, bias: bf, batch: n)
        let gf = channelMajor(g, n: n, channels: c.outChannels)
        c.conv1WeightGradient(weightGradient: &dw, biasGradient: &db, pooledGradient: gf, pooled: pooled, switches: switches,
                              plain: plain.pointer, batch: n, scratch: poisonedScratch())

        let convolution = Reference.convForward(c, input: x, weight: w, bias: b, batch: n)
        let rectified = imageMajor(y, n: n, channels: c.outChannels).map(Double.init)
        expectClose(rectified, Reference.reluForward(convolution), tolerance: tolerance, "direct conv output after ReLU")
        let referencePool = Reference.maxPoolForward(pool, input: rectified, batch: n)
        expectClose(imageMajor(pooled, n: n, channels: c.outChannels), referencePool.output, tolerance: 0, "direct pooled output")
        #expect(imageMajor(switches, n: n, channels: c.outChannels) == referencePool.switches)

        let throughPool = Reference.maxPoolBackward(pool, outputGradient: g, switches: referencePool.switches, batch: n)
        let outputGradient = Reference.reluBackward(outputGradient: throughPool, input: rectified)
        let reference = Reference.convBackward(c, outputGradient: outputGradient, input: x, weight: w, batch: n)
        // Each weight's gradient sums n·Ho·Wo products (2,352 for conv1), mostly in one chain per
        // image, so it gets 5e-5 rather than the 1e-5 of short sums.
        expectClose(dw, zip(dw0, reference.weight).map(+), tolerance: 5e-5, "direct conv weight gradient")
        expectClose(db, zip(db0, reference.bias).map(+), tolerance: tolerance, "direct conv bias gradient")

        // Without the rectified maps, the pooling is the same; without the switches too.
        var pooledAlone = [Float](repeating: .nan, count: pooled.count), switchesAlone = [Int32](repeating: -1, count: pooled.count)
        c.conv1FusedForward(pooled: &pooledAlone, switches: &switchesAlone, rectified: nil, padded: padded.pointer,
                            weight: wf, bias: bf, batch: n)
        #expect(pooledAlone == pooled && switchesAlone == switches)
        var pooledOnly = [Float](repeating: .nan, count: pooled.count)
        c.conv1FusedForward(pooled: &pooledOnly, switches: nil, rectified: nil, padded: padded.pointer, weight: wf, bias: bf, batch: n)
        #expect(pooledOnly.map(\.bitPattern) == pooled.map(\.bitPattern))
    }

    /// The direct kernels into sixteen channels (conv2) against the reference: the fused forward
    /// pass's rectified output against ReLU of the reference convolution, its pooling and switches
    /// exactly against the reference max-pool of that output; the backward pass's gradients
    /// against the reference convolution's, given the gradient that reaches it back through the
    /// pool and ReLU. One, three and eleven images (25, 75 and 275 windows), an odd number of input
    /// channels and a 4 × 4 kernel cover the remainders: a last group of one or two windows,
    /// groups of three that span two rows or two images, the last pair of input channels.
    @Test(arguments: [
        (LeNet5.conv2, 1), (LeNet5.conv2, 3), (LeNet5.conv2, 11),
        (Conv2D(inChannels: 3, outChannels: 16, kernel: 3, inputHeight: 8, inputWidth: 12), 3),
        (Conv2D(inChannels: 5, outChannels: 16, kernel: 4, inputHeight: 9, inputWidth: 11), 2),
    ])
    func conv2Kernels(_ c: Conv2D, _ n: Int) {
        var random = TestRandom(17)
        let x = random.uniform(n * c.inputCount), w = random.uniform(c.weightCount), b = random.uniform(c.outChannels)
        let pool = MaxPool2D(channels: c.outChannels, inputHeight: c.outputHeight, inputWidth: c.outputWidth)
        let g = random.uniform(n * pool.outputCount), dw0 = random.uniform(c.weightCount), db0 = random.uniform(c.outChannels)
        var y = [Float](repeating: .nan, count: n * c.outputCount)
        var pooled = [Float](repeating: .nan, count: n * pool.outputCount), switches = [Int32](repeating: -1, count: pooled.count)
        var dw = dw0.map(Float.init), db = db0.map(Float.init)
        // The backward kernel reads and writes up to eight floats past its maps, as `Buffer` allows.
        let slack = [Float](repeating: .nan, count: 8)
        let (xf, wf, bf) = (channelMajor(x, n: n, channels: c.inChannels) + slack, w.map(Float.init), b.map(Float.init))
        var dx = [Float](repeating: .nan, count: n * c.inputCount) + slack
        c.conv2FusedForward(pooled: &pooled, switches: &switches, rectified: &y, input: xf, weight: wf, bias: bf, batch: n, scratch: poisonedScratch())
        c.conv2Backward(weightGradient: &dw, biasGradient: &db, inputGradient: &dx, pooledGradient: channelMajor(g, n: n, channels: c.outChannels),
                        pooled: pooled, switches: switches, input: xf, weight: wf, batch: n, scratch: poisonedScratch())

        let rectified = imageMajor(y, n: n, channels: c.outChannels).map(Double.init)
        expectClose(rectified, Reference.reluForward(Reference.convForward(c, input: x, weight: w, bias: b, batch: n)),
                    tolerance: tolerance, "conv2 kernel: output after ReLU")
        let referencePool = Reference.maxPoolForward(pool, input: rectified, batch: n)
        expectClose(imageMajor(pooled, n: n, channels: c.outChannels), referencePool.output, tolerance: 0, "conv2 kernel: pooled output")
        #expect(imageMajor(switches, n: n, channels: c.outChannels) == referencePool.switches)

        let throughPool = Reference.maxPoolBackward(pool, outputGradient: g, switches: referencePool.switches, batch: n)
        let outputGradient = Reference.reluBackward(outputGradient: throughPool, input: rectified)
        let reference = Reference.convBackward(c, outputGradient: outputGradient, input: x, weight: w, batch: n)
        expectClose(dw, zip(dw0, reference.weight).map(+), tolerance: tolerance, "conv2 kernel: weight gradient")
        expectClose(db, zip(db0, reference.bias).map(+), tolerance: tolerance, "conv2 kernel: bias gradient")
        expectClose(imageMajor(Array(dx.prefix(n * c.inputCount)), n: n, channels: c.inChannels), reference.input, tolerance: tolerance,
                    "conv2 kernel: input gradient")

        // Without the rectified maps, the pooling is the same; without the switches too.
        var pooledAlone = [Float](repeating: .nan, count: pooled.count), switchesAlone = [Int32](repeating: -1, count: pooled.count)
        c.conv2FusedForward(pooled: &pooledAlone, switches: &switchesAlone, rectified: nil, input: xf, weight: wf, bias: bf, batch: n,
                            scratch: poisonedScratch())
        #expect(pooledAlone == pooled && switchesAlone == switches)
        var pooledOnly = [Float](repeating: .nan, count: pooled.count)
        c.conv2FusedForward(pooled: &pooledOnly, switches: nil, rectified: nil, input: xf, weight: wf, bias: bf, batch: n,
                            scratch: poisonedScratch())
        #expect(pooledOnly.map(\.bitPattern) == pooled.map(\.bitPattern))
    }

    /// The fused kernels' pooling of eight windows at once, one tie pattern per lane: the first
    /// maximum in the order top left, top right, bottom left, bottom right wins.
    @Test func pooledMaximumBreaksTiesInRowMajorOrder() {
        let tl = SIMD8<Float>(0, 0, 1, 2, 0, 5, 0, 1), tr = SIMD8<Float>(3, 0, 1, 1, 0, 4, 2, 0)
        let bl = SIMD8<Float>(3, 3, 1, 2, 0, 4, 2, 0), br = SIMD8<Float>(3, 3, 1, 0, 1, 5, 1, 2)
        let (best, at) = pooledMaximum(tl, tr, bl, br, topLeft: SIMD8(repeating: 100), width: 10)
        #expect(best == SIMD8(3, 3, 1, 2, 1, 5, 2, 2))
        #expect(at == SIMD8(101, 110, 100, 100, 111, 100, 101, 111))
    }

    /// Pooling then rectifying once (the kernels' way when they keep neither switches nor rectified
    /// maps) gives the same bits as rectifying each value and then pooling: lanes with ties, −0,
    /// NaN first and later, all negative, and random values.
    @Test func rectifyingCommutesWithPooling() {
        let nan = Float.nan
        var tl = SIMD8<Float>(-1, -0.0, nan, 2, -3, 0, -0.5, 1), tr = SIMD8<Float>(-2, -1, 1, nan, -2, -0.0, -0.0, 1)
        var bl = SIMD8<Float>(-0.0, 0, 3, 1, -1, 0, -0.25, -1), br = SIMD8<Float>(-3, -0.0, -1, 2, -4, -0.0, -0.0, 0.5)
        var random = TestRandom(19)
        for round in 0..<100 {
            if round > 0 { (tl, tr, bl, br) = (SIMD8(random.uniform(8).map(Float.init)), SIMD8(random.uniform(8).map(Float.init)),
                                               SIMD8(random.uniform(8).map(Float.init)), SIMD8(random.uniform(8).map(Float.init))) }
            let once = rectify(pooledValue(tl, tr, bl, br))
            let each = pooledMaximum(rectify(tl), rectify(tr), rectify(bl), rectify(br), topLeft: SIMD8(repeating: 0), width: 2).0
            #expect((0..<8).allSatisfy { once[$0].bitPattern == each[$0].bitPattern }, "\(once) vs \(each)")
        }
    }

    /// The rule the fused kernels are checked against.
    @Test func maxPoolTiesGoToTheFirstMaximum() {
        let pooled = Reference.maxPoolForward(MaxPool2D(channels: 1, inputHeight: 2, inputWidth: 4), input: [1.0, 3, 0, 0,
                                                                                                         3, 2, 0, 0], batch: 1)
        #expect(pooled.output == [3, 0])
        #expect(pooled.switches == [1, 2])
    }

    @Test func linear() {
        var random = TestRandom(14)
        let l = LeNet5.fc1, n = 5
        let x = random.uniform(n * l.inFeatures), w = random.uniform(l.weightCount), b = random.uniform(l.outFeatures)
        let g = random.uniform(n * l.outFeatures), dw0 = random.uniform(l.weightCount), db0 = random.uniform(l.outFeatures)
        var y = [Float](repeating: 0, count: n * l.outFeatures), dx = [Float](repeating: .nan, count: x.count)
        var dw = dw0.map(Float.init), db = db0.map(Float.init)
        let xf = x.map(Float.init), wf = w.map(Float.init)
        l.forward(output: &y, input: xf, weight: wf, bias: b.map(Float.init), batch: n)
        l.backward(inputGradient: &dx, weightGradient: &dw, biasGradient: &db, outputGradient: g.map(Float.init),
                   input: xf, weight: wf, batch: n)
        let reference = Reference.linearBackward(l, outputGradient: g, input: x, weight: w, batch: n)
        expectClose(y, Reference.linearForward(l, input: x, weight: w, bias: b, batch: n), tolerance: tolerance, "linear output")
        expectClose(dx, reference.input, tolerance: tolerance, "linear input gradient")
        expectClose(dw, zip(dw0, reference.weight).map(+), tolerance: tolerance, "linear weight gradient")
        expectClose(db, zip(db0, reference.bias).map(+), tolerance: tolerance, "linear bias gradient")
    }

    @Test func reluAndLogSoftmax() {
        var random = TestRandom(15)
        let n = 4, x = random.uniform(n * 10, scale: 5), g = random.uniform(n * 10)
        let rectified = withFloats(x) { ReLU.forward($0, count: x.count) }
        expectClose(rectified, Reference.reluForward(x), tolerance: 1e-7, "ReLU output")  // Float rounding of x
        let dRelu = withFloats(g) { ReLU.backward($0, output: rectified, count: g.count) }
        expectClose(dRelu, Reference.reluBackward(outputGradient: g, input: x), tolerance: 1e-7, "ReLU gradient")

        var y = [Float](repeating: 0, count: x.count), dx = [Float](repeating: 0, count: x.count)
        LogSoftmax.forward(output: &y, input: x.map(Float.init), batch: n, classes: 10)
        LogSoftmax.backward(inputGradient: &dx, outputGradient: g.map(Float.init), output: y, batch: n, classes: 10)
        let reference = Reference.logSoftmaxForward(x, classes: 10)
        expectClose(y, reference, tolerance: tolerance, "log-softmax output")
        expectClose(dx, Reference.logSoftmaxBackward(outputGradient: g, output: reference, classes: 10), tolerance: tolerance, "log-softmax gradient")
    }
}
