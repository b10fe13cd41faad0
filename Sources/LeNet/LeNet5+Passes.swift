/// The forward and backward passes over a workspace, layer by layer.
extension LeNet5 {
    typealias P = Parameter

    /// Runs the network on the first `n` images of `w.input`, filling every forward buffer.
    static func forward(_ parameters: UnsafePointer<Float>, _ w: Workspace, batch n: Int) {
        let p = { (t: P) in parameters + t.offset }
        let profile = w.profile
        profile.time(.conv1) {
            conv1.forward(output: w.conv1.pointer, input: w.input.pointer, weight: p(.conv1Weight), bias: p(.conv1Bias),
                          batch: n, columns: w.columns1.pointer, scratch: w.scratch.pointer)
        }
        profile.time(.relu1) { ReLU.forward(w.conv1.pointer, count: n * conv1.outputCount) }
        profile.time(.pool1) { pool1.forward(output: w.pool1.pointer, switches: w.switches1.pointer, input: w.conv1.pointer, batch: n) }
        profile.time(.conv2) {
            conv2.forward(output: w.conv2.pointer, input: w.pool1.pointer, weight: p(.conv2Weight), bias: p(.conv2Bias),
                          batch: n, columns: w.columns2.pointer, scratch: w.scratch.pointer)
        }
        profile.time(.relu2) { ReLU.forward(w.conv2.pointer, count: n * conv2.outputCount) }
        profile.time(.pool2) { pool2.forward(output: w.pool2.pointer, switches: w.switches2.pointer, input: w.conv2.pointer, batch: n) }
        // Flatten is free: pool2's (n, 16, 5, 5) is already (n, 400) in (C, H, W) order.
        profile.time(.fc1) { fc1.forward(output: w.fc1.pointer, input: w.pool2.pointer, weight: p(.fc1Weight), bias: p(.fc1Bias), batch: n) }
        profile.time(.relu3) { ReLU.forward(w.fc1.pointer, count: n * fc1.outFeatures) }
        profile.time(.fc2) { fc2.forward(output: w.fc2.pointer, input: w.fc1.pointer, weight: p(.fc2Weight), bias: p(.fc2Bias), batch: n) }
        profile.time(.relu4) { ReLU.forward(w.fc2.pointer, count: n * fc2.outFeatures) }
        profile.time(.fc3) { fc3.forward(output: w.logits.pointer, input: w.fc2.pointer, weight: p(.fc3Weight), bias: p(.fc3Bias), batch: n) }
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
            fc1.backward(inputGradient: w.dPool2.pointer, weightGradient: g(.fc1Weight), biasGradient: g(.fc1Bias),
                         outputGradient: w.dFc1.pointer, input: w.pool2.pointer, weight: p(.fc1Weight), batch: n)
        }
        profile.time(.pool2, backward: true) {
            pool2.backward(inputGradient: w.dConv2.pointer, outputGradient: w.dPool2.pointer, switches: w.switches2.pointer, batch: n)
        }
        profile.time(.relu2, backward: true) { ReLU.backward(w.dConv2.pointer, output: w.conv2.pointer, count: n * conv2.outputCount) }
        profile.time(.conv2, backward: true) {
            conv2.backward(inputGradient: w.dPool1.pointer, weightGradient: g(.conv2Weight), biasGradient: g(.conv2Bias),
                           outputGradient: w.dConv2.pointer, weight: p(.conv2Weight), batch: n,
                           columns: w.columns2.pointer, scratch: w.scratch.pointer, columnsScratch: w.dColumns2.pointer)
        }
        profile.time(.pool1, backward: true) {
            pool1.backward(inputGradient: w.dConv1.pointer, outputGradient: w.dPool1.pointer, switches: w.switches1.pointer, batch: n)
        }
        profile.time(.relu1, backward: true) { ReLU.backward(w.dConv1.pointer, output: w.conv1.pointer, count: n * conv1.outputCount) }
        // The input needs no gradient.
        profile.time(.conv1, backward: true) {
            conv1.backward(inputGradient: nil, weightGradient: g(.conv1Weight), biasGradient: g(.conv1Bias),
                           outputGradient: w.dConv1.pointer, weight: p(.conv1Weight), batch: n,
                           columns: w.columns1.pointer, scratch: w.scratch.pointer, columnsScratch: nil)
        }
    }
}
