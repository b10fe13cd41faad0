/// Direct kernels for a stride-1, unpadded convolution into sixteen output channels with ReLU and
/// 2×2/2 max-pooling fused in (conv2). Its im2col matrix would copy each input value twenty-five
/// times; instead the forward pass broadcasts every input value and multiplies it into the
/// sixteen output channels at once, two vectors of eight. The backward pass starts from the
/// pooled gradient and visits only the output that each window's switch names, the one that
/// max-pooling passes a gradient to: a quarter of the products a dense transposed convolution and
/// weight gradient would spend.
extension Conv2D {
    var hasDirect16Kernel: Bool {
        outChannels == 16 && stride == 1 && padding == 0 && kernel <= 5 && outputHeight % 2 == 0 && outputWidth % 2 == 0
    }

    /// The weights as (Cin·K·K, 16): for each input position, the sixteen output channels' weights.
    private func channelsLast(_ weight: UnsafePointer<Float>, into transposed: UnsafeMutablePointer<Float>) {
        for o in 0..<16 { for k in 0..<patchSize { transposed[k * 16 + o] = weight[o * patchSize + k] } }
    }

    /// The layer followed by ReLU and 2×2/2 max-pooling, in one pass: input (Cin, n, H, W) →
    /// `pooled` and, when given, `switches` (16, n, Ho/2, Wo/2), as `Reference.maxPoolForward` gives them from
    /// the rectified output, which is also written to `rectified` (16, n, Ho, Wo) when given. Each
    /// output is its bias, then the products in the order of the weights (input channel, kernel
    /// row, kernel column), each added with one fused multiply-add. Three pooling windows at a
    /// time, the top row of their outputs and then the bottom row (`OutputRow`): twelve
    /// accumulators, every weight pair loaded once for six outputs. (One window at a time, eight
    /// accumulators, left the multiply-adds waiting on each other and ran 7 % slower.)
    func conv2FusedForward(pooled: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>?,
                           rectified: UnsafeMutablePointer<Float>?, input: UnsafePointer<Float>,
                           weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch n: Int, scratch: Scratch) {
        precondition(hasDirect16Kernel)
        let (ho, wo) = (outputHeight, outputWidth)
        let (pw, pooledPlane) = (wo / 2, ho * wo / 4)
        scratch.withBuffer(of: Float.self, capacity: 16 * patchSize) { buffer in
            let weights = UnsafePointer(buffer.baseAddress!)
            channelsLast(weight, into: buffer.baseAddress!)
            let bias = (load(bias), load(bias + 8))

            /// Pools (and rectifies) window `px` of row `py` from its four outputs, each as the
            /// low and high eight channels, and stores what was asked for.
            @inline(__always) func finish(image: Int, py: Int, px: Int,
                                          _ tl: (SIMD8<Float>, SIMD8<Float>), _ tr: (SIMD8<Float>, SIMD8<Float>),
                                          _ bl: (SIMD8<Float>, SIMD8<Float>), _ br: (SIMD8<Float>, SIMD8<Float>)) {
                let topLeft = 2 * py * wo + 2 * px
                let o = image * pooledPlane + py * pw + px, channelStride = n * pooledPlane
                @inline(__always) func put<T: SIMDScalar>(_ low: SIMD8<T>, _ high: SIMD8<T>, to destination: UnsafeMutablePointer<T>) {
                    for lane in 0..<8 {
                        destination[lane * channelStride + o] = low[lane]
                        destination[(lane + 8) * channelStride + o] = high[lane]
                    }
                }
                guard switches != nil || rectified != nil else {
                    // ReLU commutes with the maximum (see `rectify`): one rectification suffices.
                    return put(rectify(pooledValue(tl.0, tr.0, bl.0, br.0)), rectify(pooledValue(tl.1, tr.1, bl.1, br.1)), to: pooled)
                }
                let (tl, tr) = ((rectify(tl.0), rectify(tl.1)), (rectify(tr.0), rectify(tr.1)))
                let (bl, br) = ((rectify(bl.0), rectify(bl.1)), (rectify(br.0), rectify(br.1)))
                // A later position wins only when strictly greater: the first maximum wins ties.
                if let switches {
                    let at = SIMD8(repeating: Int32(topLeft))
                    let (best0, at0) = pooledMaximum(tl.0, tr.0, bl.0, br.0, topLeft: at, width: wo)
                    let (best1, at1) = pooledMaximum(tl.1, tr.1, bl.1, br.1, topLeft: at, width: wo)
                    put(best0, best1, to: pooled)
                    put(at0, at1, to: switches)
                } else {
                    put(pooledValue(tl.0, tr.0, bl.0, br.0), pooledValue(tl.1, tr.1, bl.1, br.1), to: pooled)
                }
                if let rectified {
                    let out = rectified + image * ho * wo + topLeft, mapStride = n * ho * wo
                    @inline(__always) func put(_ value: (SIMD8<Float>, SIMD8<Float>), at offset: Int) {
                        for lane in 0..<8 {
                            out[lane * mapStride + offset] = value.0[lane]
                            out[(lane + 8) * mapStride + offset] = value.1[lane]
                        }
                    }
                    put(tl, at: 0); put(tr, at: 1); put(bl, at: wo); put(br, at: wo + 1)
                }
            }

            /// The `Count.count` windows from window `first` on, counting row by row through
            /// the images: any three windows, even of different rows or images, share every
            /// weight load.
            @inline(__always) func windows<Count: GroupSize>(_: Count.Type, from first: Int) {
                let count = Count.count
                @inline(__always) func place(_ window: Int) -> (image: Int, py: Int, px: Int, input: UnsafePointer<Float>) {
                    let (image, q) = (window / pooledPlane, window % pooledPlane)
                    let (py, px) = (q / pw, q % pw)
                    return (image, py, px, input + image * inputPlane + 2 * py * inputWidth + 2 * px)
                }
                let w0 = place(first), w1 = place(first + min(1, count - 1)), w2 = place(first + min(2, count - 1))
                let top = OutputRow(Count.self, self, bias: bias, weights: weights, rows: (w0.input, w1.input, w2.input),
                                    channelStride: n * inputPlane)
                let bottom = OutputRow(Count.self, self, bias: bias, weights: weights,
                                       rows: (w0.input + inputWidth, w1.input + inputWidth, w2.input + inputWidth),
                                       channelStride: n * inputPlane)
                finish(image: w0.image, py: w0.py, px: w0.px, (top.a0, top.b0), (top.a1, top.b1),
                       (bottom.a0, bottom.b0), (bottom.a1, bottom.b1))
                if count > 1 {
                    finish(image: w1.image, py: w1.py, px: w1.px, (top.a2, top.b2), (top.a3, top.b3),
                           (bottom.a2, bottom.b2), (bottom.a3, bottom.b3))
                }
                if count > 2 {
                    finish(image: w2.image, py: w2.py, px: w2.px, (top.a4, top.b4), (top.a5, top.b5),
                           (bottom.a4, bottom.b4), (bottom.a5, bottom.b5))
                }
            }

            let total = n * pooledPlane
            var first = 0
            while total - first >= 3 { windows(GroupOfThree.self, from: first); first += 3 }
            if total - first == 2 { windows(GroupOfTwo.self, from: first) }
            if total - first == 1 { windows(GroupOfOne.self, from: first) }
        }
    }
}

/// The top (or the bottom) row of up to three pooling windows of conv2, all sixteen channels:
/// window j's left output in `a`2j (channels 0–7) and `b`2j (8–15), its right one in `a`2j+1 and
/// `b`2j+1.
private struct OutputRow {
    var a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5: SIMD8<Float>

    /// `Count.count` windows' worth, window j's row starting at `rows`.j in input channel 0. A
    /// function of its own, so that the twelve accumulators get the registers to themselves, and
    /// specialised for each count.
    @inline(never)
    init<Count: GroupSize>(_: Count.Type, _ layer: Conv2D, bias: (SIMD8<Float>, SIMD8<Float>), weights: UnsafePointer<Float>,
                             rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>), channelStride: Int) {
        let count = Count.count
        (a0, b0) = bias
        (a1, b1, a2, b2, a3, b3, a4, b4, a5, b5) = (a0, b0, a0, b0, a0, b0, a0, b0, a0, b0)
        let (k, w) = (layer.kernel, layer.inputWidth)
        for c in 0..<layer.inChannels {
            for ky in 0..<k {
                let offset = c * channelStride + ky * w
                let (r0, r1, r2) = (rows.0 + offset, rows.1 + offset, rows.2 + offset)
                for kx in 0..<k {
                    let pair = weights + ((c * k + ky) * k + kx) * 16
                    let (low, high) = (load(pair), load(pair + 8))
                    let (p0, p1, p2) = (r0 + kx, r1 + kx, r2 + kx)
                    var v = SIMD8<Float>(repeating: p0[0]); a0.addFused(v, low); b0.addFused(v, high)
                    v = SIMD8(repeating: p0[1]); a1.addFused(v, low); b1.addFused(v, high)
                    if count > 1 {
                        v = SIMD8(repeating: p1[0]); a2.addFused(v, low); b2.addFused(v, high)
                        v = SIMD8(repeating: p1[1]); a3.addFused(v, low); b3.addFused(v, high)
                    }
                    if count > 2 {
                        v = SIMD8(repeating: p2[0]); a4.addFused(v, low); b4.addFused(v, high)
                        v = SIMD8(repeating: p2[1]); a5.addFused(v, low); b5.addFused(v, high)
                    }
                }
            }
        }
    }
}

extension Conv2D {
    /// The gradients through max-pooling, ReLU and the layer, from the gradient of the pooled
    /// output (16, n, Ho/2, Wo/2), the forward pass's `pooled` maxima and `switches`, the input
    /// (Cin, n, H, W) and the weights: accumulates the weight and bias gradients and writes
    /// `inputGradient` (Cin, n, H, W). Only the output a window's switch names receives a gradient
    /// g, and none when the window's maximum is 0 (ReLU blocks it); so each (output channel,
    /// window) whose maximum is positive contributes g times its K × K input patch to the weight
    /// gradient, and g times the weights to that patch's input gradient. The others are skipped.
    ///
    /// Orders. Weight gradient: for each weight, one fused multiply-add chain from 0 over the
    /// images, then the windows in row-major order, added to `weightGradient` at the end; each
    /// bias sums its windows' gradients in the same order from 0, then is added to `biasGradient`.
    /// Input gradient: from 0, the windows of an image in row-major order each add (one addition
    /// per input) what they pass back to the (K + 1) × (K + 1) inputs they cover, which is a sum
    /// formed with fused multiply-adds from 0 over the output channels in order.
    ///
    /// Reads up to eight floats past the end of `input` and reads and writes up to eight past
    /// the end of `inputGradient` (adding zeros): `Buffer` leaves that room.
    func conv2Backward(weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                       inputGradient: UnsafeMutablePointer<Float>, pooledGradient: UnsafePointer<Float>,
                       pooled: UnsafePointer<Float>, switches: UnsafePointer<Int32>, input: UnsafePointer<Float>,
                       weight: UnsafePointer<Float>, batch n: Int, scratch: Scratch) {
        routed(pooledGradient: pooledGradient, pooled: pooled, switches: switches, batch: n, scratch: scratch) { routes, patterns in
            if kernel == 5 {
                conv2WeightGradient(FiveByFive.self, weightGradient: weightGradient, biasGradient: biasGradient, routes: routes,
                                    input: input, batch: n)
                conv2InputGradient(FiveByFive.self, inputGradient: inputGradient, routes: routes, patterns: patterns,
                                   weight: weight, batch: n)
            } else {
                conv2WeightGradient(AnySize.self, weightGradient: weightGradient, biasGradient: biasGradient, routes: routes,
                                    input: input, batch: n)
                conv2InputGradient(AnySize.self, inputGradient: inputGradient, routes: routes, patterns: patterns, weight: weight, batch: n)
            }
        }
    }

    /// The input gradient of `conv2Backward` alone, in its order, without the weight and bias
    /// gradients: what a backward pass from the logits to the input needs.
    func conv2InputGradient(inputGradient: UnsafeMutablePointer<Float>, pooledGradient: UnsafePointer<Float>,
                            pooled: UnsafePointer<Float>, switches: UnsafePointer<Int32>, weight: UnsafePointer<Float>,
                            batch n: Int, scratch: Scratch) {
        routed(pooledGradient: pooledGradient, pooled: pooled, switches: switches, batch: n, scratch: scratch) { routes, patterns in
            if kernel == 5 {
                conv2InputGradient(FiveByFive.self, inputGradient: inputGradient, routes: routes, patterns: patterns, weight: weight,
                                   batch: n)
            } else {
                conv2InputGradient(AnySize.self, inputGradient: inputGradient, routes: routes, patterns: patterns, weight: weight, batch: n)
            }
        }
    }

    /// Calls `body` with the windows that pass a gradient listed both ways (`Routes`) and room
    /// for the input gradient's weight patterns, all in `scratch`.
    private func routed(pooledGradient: UnsafePointer<Float>, pooled: UnsafePointer<Float>, switches: UnsafePointer<Int32>, batch n: Int,
                        scratch: Scratch, _ body: (Routes, UnsafeMutablePointer<Float>) -> Void) {
        precondition(hasDirect16Kernel)
        let windows = n * outputPlane / 4, patternCount = 16 * inChannels * 2 * (kernel + 2) * 8
        // Two lists of the windows that pass a gradient: by output channel, and by window.
        let listFloats = 4 * 16 * windows + 16 + windows
        scratch.withBuffer(of: Float.self, capacity: listFloats + patternCount) { buffer in
            let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
            let routes = Routes(
                byChannel: raw.bindMemory(to: Route.self, capacity: 16 * windows),
                channelCounts: (raw + 8 * 16 * windows).bindMemory(to: Int32.self, capacity: 16),
                byWindow: (raw + 8 * 16 * windows + 4 * 16).bindMemory(to: Route.self, capacity: 16 * windows),
                windowCounts: (raw + 16 * 16 * windows + 4 * 16).bindMemory(to: Int32.self, capacity: windows))
            routeThroughPooling(routes, pooledGradient: pooledGradient, pooled: pooled, switches: switches, batch: n)
            body(routes, buffer.baseAddress! + listFloats)
        }
    }

    /// A window that passes a gradient: the gradient, and an offset (in floats) that locates
    /// either its input patch (by output channel) or its output channel's weight pattern (by window).
    private struct Route {
        var gradient: Float
        var offset: Int32
    }

    private struct Routes {
        /// For output channel o, from 16 · n · windows-per-image · o / 16: the windows that pass a
        /// gradient, in order, with the offset of the input patch under the switch's output from
        /// the start of input channel 0.
        let byChannel: UnsafeMutablePointer<Route>
        let channelCounts: UnsafeMutablePointer<Int32>
        /// For window w (of the batch), from 16 · w: the output channels that pass a gradient
        /// through it, in order, with the offset of their weight pattern (`conv2InputGradient`).
        let byWindow: UnsafeMutablePointer<Route>
        let windowCounts: UnsafeMutablePointer<Int32>
    }

    /// Lists the windows whose maximum is positive, both ways (without branching on the data: each
    /// window is written at the list's end, which then moves on only if it passes).
    private func routeThroughPooling(_ routes: Routes, pooledGradient: UnsafePointer<Float>, pooled: UnsafePointer<Float>,
                                     switches: UnsafePointer<Int32>, batch n: Int) {
        let (wo, w, ph, pw, patternFloats) = (outputWidth, inputWidth, outputHeight / 2, outputWidth / 2, (kernel + 2) * 8)
        let windows = n * ph * pw
        routes.windowCounts.initialize(repeating: 0, count: windows)
        var r = 0
        for o in 0..<16 {
            let channelList = routes.byChannel + o * windows
            var count = 0
            for image in 0..<n {
                for py in 0..<ph {
                    for px in 0..<pw {
                        let (g, passes) = (pooledGradient[r], pooled[r] > 0)
                        let d = Int(switches[r]) &- (2 &* py &* wo &+ 2 &* px)   // 0, 1, Wo or Wo + 1
                        let dy = d >= wo ? 1 : 0, dx = d &- dy &* wo
                        let patch = image &* inputPlane &+ (2 &* py &+ dy) &* w &+ 2 &* px &+ dx
                        channelList[count] = Route(gradient: g, offset: Int32(truncatingIfNeeded: patch))
                        count &+= passes ? 1 : 0
                        let window = r &- o &* windows, slot = Int(routes.windowCounts[window])
                        let pattern = o &* inChannels &* 2 &* patternFloats &+ (dx &* (kernel + 2) &+ 1 &- dy) &* 8
                        routes.byWindow[16 &* window &+ slot] = Route(gradient: g, offset: Int32(truncatingIfNeeded: pattern))
                        routes.windowCounts[window] &+= passes ? 1 : 0
                        r &+= 1
                    }
                }
            }
            routes.channelCounts[o] = Int32(count)
        }
    }

    /// Two input channels at once: ten accumulators, one per kernel row, its columns in the lanes.
    private func conv2WeightGradient<Size: KernelSize>(_: Size.Type, weightGradient: UnsafeMutablePointer<Float>,
                                                       biasGradient: UnsafeMutablePointer<Float>, routes: Routes,
                                                       input: UnsafePointer<Float>, batch n: Int) {
        let (k, w, windows, channelStride) = (Size.fixed ?? kernel, inputWidth, n * outputPlane / 4, n * inputPlane)
        for o in 0..<16 {
            let list = UnsafePointer(routes.byChannel + o * windows), count = Int(routes.channelCounts[o])
            var bias: Float = 0
            for i in 0..<count { bias += list[i].gradient }
            biasGradient[o] += bias
            for c0 in Swift.stride(from: 0, to: inChannels, by: 2) {
                let c1 = min(c0 + 1, inChannels - 1)
                let (plane0, plane1) = (input + c0 * channelStride, input + c1 * channelStride)
                var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0
                for route in UnsafeBufferPointer(start: list, count: count) {
                    let v = SIMD8<Float>(repeating: route.gradient), offset = Int(route.offset)
                    let (p0, p1) = (plane0 + offset, plane1 + offset)
                    a0.addFused(v, load(p0)); b0.addFused(v, load(p1))
                    if k > 1 { a1.addFused(v, load(p0 + w)); b1.addFused(v, load(p1 + w)) }
                    if k > 2 { a2.addFused(v, load(p0 + 2 * w)); b2.addFused(v, load(p1 + 2 * w)) }
                    if k > 3 { a3.addFused(v, load(p0 + 3 * w)); b3.addFused(v, load(p1 + 3 * w)) }
                    if k > 4 { a4.addFused(v, load(p0 + 4 * w)); b4.addFused(v, load(p1 + 4 * w)) }
                }
                @inline(__always) func add(_ c: Int, _ ky: Int, _ row: SIMD8<Float>) {
                    guard ky < k else { return }
                    for kx in 0..<k { weightGradient[((o * inChannels + c) * k + ky) * k + kx] += row[kx] }
                }
                add(c0, 0, a0); add(c0, 1, a1); add(c0, 2, a2); add(c0, 3, a3); add(c0, 4, a4)
                if c1 != c0 { add(c1, 0, b0); add(c1, 1, b1); add(c1, 2, b2); add(c1, 3, b3); add(c1, 4, b4) }
            }
        }
    }

    /// Each window's switch lies at one of four positions (dy, dx), so what its output channel
    /// passes back covers a (K + 1) × (K + 1) region at the window's top left: the K × K weights
    /// shifted by (dy, dx). A weight pattern per (output channel, input channel, dx) holds the
    /// kernel's rows shifted right by dx, with a row of zeros above and below (K + 2 rows of eight
    /// lanes); its rows 1 − dy … K + 1 − dy are the region's rows. Two input channels at once:
    /// twelve accumulators, one per region row.
    private func conv2InputGradient<Size: KernelSize>(_: Size.Type, inputGradient: UnsafeMutablePointer<Float>, routes: Routes,
                                                      patterns: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>, batch n: Int) {
        let (k, w, ph, pw) = (Size.fixed ?? kernel, inputWidth, outputHeight / 2, outputWidth / 2)
        let patternFloats = (k + 2) * 8
        zeroFloats(patterns, 16 * inChannels * 2 * patternFloats)
        for o in 0..<16 { for c in 0..<inChannels { for dx in 0..<2 {
            let pattern = patterns + ((o * inChannels + c) * 2 + dx) * patternFloats
            for ky in 0..<k { for kx in 0..<k { pattern[(ky + 1) * 8 + kx + dx] = weight[((o * inChannels + c) * k + ky) * k + kx] } }
        }}}
        zeroFloats(inputGradient, inChannels * n * inputPlane)
        var window = 0
        for image in 0..<n {
            for py in 0..<ph {
                for px in 0..<pw {
                    defer { window += 1 }
                    let list = UnsafeBufferPointer(start: routes.byWindow + 16 * window, count: Int(routes.windowCounts[window]))
                    if list.isEmpty { continue }
                    for c0 in Swift.stride(from: 0, to: inChannels, by: 2) {
                        let c1 = min(c0 + 1, inChannels - 1)
                        let (patterns0, patterns1) = (UnsafePointer(patterns + c0 * 2 * patternFloats),
                                                      UnsafePointer(patterns + c1 * 2 * patternFloats))
                        var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0
                        var b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0
                        for route in list {
                            let v = SIMD8<Float>(repeating: route.gradient), offset = Int(route.offset)
                            let (p0, p1) = (patterns0 + offset, patterns1 + offset)
                            a0.addFused(v, load(p0)); b0.addFused(v, load(p1))
                            a1.addFused(v, load(p0 + 8)); b1.addFused(v, load(p1 + 8))
                            if k > 1 { a2.addFused(v, load(p0 + 16)); b2.addFused(v, load(p1 + 16)) }
                            if k > 2 { a3.addFused(v, load(p0 + 24)); b3.addFused(v, load(p1 + 24)) }
                            if k > 3 { a4.addFused(v, load(p0 + 32)); b4.addFused(v, load(p1 + 32)) }
                            if k > 4 { a5.addFused(v, load(p0 + 40)); b5.addFused(v, load(p1 + 40)) }
                        }
                        @inline(__always) func add(_ c: Int, _ row: Int, _ region: SIMD8<Float>) {
                            guard row <= k else { return }
                            let destination = inputGradient + (c * n + image) * inputPlane + (2 * py + row) * w + 2 * px
                            UnsafeMutableRawPointer(destination).storeBytes(of: load(destination) + region, as: SIMD8<Float>.self)
                        }
                        add(c0, 0, a0); add(c0, 1, a1); add(c0, 2, a2); add(c0, 3, a3); add(c0, 4, a4); add(c0, 5, a5)
                        if c1 != c0 { add(c1, 0, b0); add(c1, 1, b1); add(c1, 2, b2); add(c1, 3, b3); add(c1, 4, b4); add(c1, 5, b5) }
                    }
                }
            }
        }
    }
}
