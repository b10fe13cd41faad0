/// The forward and backward passes over a workspace, layer by layer.
///
/// Buffers and shapes, for a shard of n images (see `Workspace`; maps are channel-major):
///
///     input      (n, 1, 28, 28)  byte / 255
///     padded1    conv1's input, zero-padded by 2, each row split into even and odd columns
///     plainPadded1 the same with its rows as they are, for conv1's weight gradient (training only)
///     pool1      (6, n, 14, 14)  conv1 → ReLU → max-pool; switches1 where each maximum was
///     pool2      (16, n, 5, 5)   conv2 → ReLU → max-pool; switches2
///     flat       (n, 400)        pool2 in PyTorch's flatten order
///     fc1, fc2   (n, 120), (n, 84), after ReLU
///     logits     (n, 10); logProbabilities (n, 10) after log-softmax
///
/// Backward runs the same list upwards: dLogProbabilities → dLogits → dFc2 → dFc1 → dFlat → dPool2
/// → dPool1, each parameter's gradient landing at its offset in `gradient`. ReLU and
/// max-pooling are fused into the convolution kernels both ways, so the rectified conv outputs
/// are stored only when a caller asks for them (`ForwardPass`).
extension LeNet5 {
    typealias P = Parameter

    /// Runs the network on the first `n` images of `w.input`, filling every forward buffer, or
    /// only the convolutional part's (up to pool2) when `classifier` is false, and the max-pool
    /// switches only when `switches` is true (the backward pass and the deconvnet need them).
    static func forward(_ parameters: UnsafePointer<Float>, _ w: Workspace, batch n: Int, classifier: Bool = true, switches: Bool = true) {
        let p = { (t: P) in parameters + t.offset }
        let profile = w.profile
        profile.time(.conv1) {
            conv1.pad(w.input.pointer, batch: n, into: w.padded1.pointer, plain: w.isTraining ? w.plainPadded1.pointer : nil)
            conv1.conv1FusedForward(pooled: w.pool1.pointer, switches: switches ? w.switches1.pointer : nil, rectified: w.conv1?.pointer,
                                    padded: w.padded1.pointer, weight: p(.conv1Weight), bias: p(.conv1Bias), batch: n)
        }
        profile.time(.conv2) {
            conv2.conv2FusedForward(pooled: w.pool2.pointer, switches: switches ? w.switches2.pointer : nil, rectified: w.conv2?.pointer,
                                    input: w.pool1.pointer, weight: p(.conv2Weight), bias: p(.conv2Bias), batch: n, scratch: w.scratch)
        }
        guard classifier else { return }
        profile.time(.flatten) { flatten(w.pool2.pointer, into: w.flat.pointer, batch: n) }
        profile.time(.fc1) { fc1.forward(output: w.fc1.pointer, input: w.flat.pointer, weight: p(.fc1Weight), bias: p(.fc1Bias), batch: n) }
        profile.time(.relu3) { ReLU.forward(w.fc1.pointer, count: n * fc1.outFeatures) }
        profile.time(.fc2) { fc2.forward(output: w.fc2.pointer, input: w.fc1.pointer, weight: p(.fc2Weight), bias: p(.fc2Bias), batch: n) }
        profile.time(.relu4) { ReLU.forward(w.fc2.pointer, count: n * fc2.outFeatures) }
        profile.time(.fc3) {
            fc3.forward(output: w.logits.pointer, input: w.fc2.pointer, weight: p(.fc3Weight), bias: p(.fc3Bias), batch: n)
        }
        profile.time(.logSoftmax) {
            LogSoftmax.forward(output: w.logProbabilities.pointer, input: w.logits.pointer, batch: n, classes: classes)
        }
    }

    /// Back-propagates the mean NLL loss of a batch of `batchSize` images, of which this workspace
    /// holds `n`, into `w.gradient`, which it overwrites.
    static func backward(_ parameters: UnsafePointer<Float>, _ w: Workspace, batch n: Int, batchSize: Int) {
        let p = { (t: P) in parameters + t.offset }
        let g = { (t: P) in w.gradient.pointer + t.offset }
        let profile = w.profile
        profile.time(.loss, backward: true) {
            w.gradient.fill(0)
            NLLLoss.backward(inputGradient: w.dLogProbabilities.pointer, labels: w.labels.pointer, batch: n,
                             classes: classes, batchSize: batchSize)
        }
        profile.time(.logSoftmax, backward: true) {
            LogSoftmax.backward(inputGradient: w.dLogits.pointer, outputGradient: w.dLogProbabilities.pointer,
                                output: w.logProbabilities.pointer, batch: n, classes: classes)
        }
        profile.time(.fc3, backward: true) {
            fc3.backward(inputGradient: w.dFc2.pointer, weightGradient: g(.fc3Weight), biasGradient: g(.fc3Bias),
                         outputGradient: w.dLogits.pointer, input: w.fc2.pointer, weight: p(.fc3Weight), batch: n)
        }
        profile.time(.relu4, backward: true) { ReLU.backward(w.dFc2.pointer, output: w.fc2.pointer, count: n * fc2.outFeatures) }
        profile.time(.fc2, backward: true) {
            fc2.backward(inputGradient: w.dFc1.pointer, weightGradient: g(.fc2Weight), biasGradient: g(.fc2Bias),
                         outputGradient: w.dFc2.pointer, input: w.fc1.pointer, weight: p(.fc2Weight), batch: n)
        }
        profile.time(.relu3, backward: true) { ReLU.backward(w.dFc1.pointer, output: w.fc1.pointer, count: n * fc1.outFeatures) }
        profile.time(.fc1, backward: true) {
            fc1.backward(inputGradient: w.dFlat.pointer, weightGradient: g(.fc1Weight), biasGradient: g(.fc1Bias),
                         outputGradient: w.dFc1.pointer, input: w.flat.pointer, weight: p(.fc1Weight), batch: n)
        }
        profile.time(.flatten, backward: true) { unflatten(w.dFlat.pointer, into: w.dPool2.pointer, batch: n) }
        profile.time(.conv2, backward: true) {
            conv2.conv2Backward(weightGradient: g(.conv2Weight), biasGradient: g(.conv2Bias), inputGradient: w.dPool1.pointer,
                                pooledGradient: w.dPool2.pointer, pooled: w.pool2.pointer, switches: w.switches2.pointer,
                                input: w.pool1.pointer, weight: p(.conv2Weight), batch: n, scratch: w.scratch)
        }
        // The input needs no gradient.
        profile.time(.conv1, backward: true) {
            conv1.conv1WeightGradient(weightGradient: g(.conv1Weight), biasGradient: g(.conv1Bias), pooledGradient: w.dPool1.pointer,
                                      pooled: w.pool1.pointer, switches: w.switches1.pointer, plain: w.plainPadded1.pointer, batch: n,
                                      scratch: w.scratch)
        }
    }

    /// (C, n, H, W) → (n, C·H·W): each image's maps in PyTorch's flatten order.
    static func flatten(_ maps: UnsafePointer<Float>, into flat: UnsafeMutablePointer<Float>, batch n: Int) {
        let (channels, plane) = (pool2.channels, pool2.outputHeight * pool2.outputWidth)
        for c in 0..<channels {
            for image in 0..<n {
                copyFloats(flat + (image * channels + c) * plane, maps + (c * n + image) * plane, plane)
            }
        }
    }

    /// The inverse of `flatten`, for the gradient.
    static func unflatten(_ flat: UnsafePointer<Float>, into maps: UnsafeMutablePointer<Float>, batch n: Int) {
        let (channels, plane) = (pool2.channels, pool2.outputHeight * pool2.outputWidth)
        for c in 0..<channels {
            for image in 0..<n {
                copyFloats(maps + (c * n + image) * plane, flat + (image * channels + c) * plane, plane)
            }
        }
    }
}
