/// Every activation and gradient buffer of one forward/backward pass over up to `capacity` images,
/// allocated once (llm.c style) so that a training step allocates nothing. The convolutional part
/// is channel-major, (C, n, H, W), as `Conv2D` wants it; the fully connected part is (n, features).
final class Workspace: @unchecked Sendable {
    typealias Net = LeNet5
    let capacity: Int
    /// Whether it holds what the backward pass needs.
    let isTraining: Bool

    // Forward: what each layer wrote, and what backward needs (padded input, switches).
    let input: Buffer<Float>
    let labels: Buffer<Int32>
    let padded1: Buffer<Float>      // conv1's zero-padded input, rows split for its forward kernel
    let plainPadded1: Buffer<Float> // the same as plain rows, for its weight gradient (training only)
    // The rectified convolution outputs are kept only for `ForwardPass`: the kernels pool them
    // in registers.
    let conv1: Buffer<Float>?
    let pool1: Buffer<Float>
    let switches1: Buffer<Int32>
    let conv2: Buffer<Float>?
    let pool2: Buffer<Float>
    let switches2: Buffer<Int32>
    let flat: Buffer<Float>         // pool2 as (n, 400) in (C, H, W) order: fc1's input
    let fc1: Buffer<Float>          // after ReLU
    let fc2: Buffer<Float>          // after ReLU
    let logits: Buffer<Float>
    let logProbabilities: Buffer<Float>

    // Backward: gradients of the activations, and this shard's parameter gradient.
    let dLogProbabilities: Buffer<Float>
    let dLogits: Buffer<Float>
    let dFc2: Buffer<Float>
    let dFc1: Buffer<Float>
    let dFlat: Buffer<Float>
    let dPool2: Buffer<Float>
    let dPool1: Buffer<Float>
    let gradient: Buffer<Float>
    /// What the kernels borrow within a call.
    let scratch = Scratch()
    /// Where this shard's time goes, when measured.
    var profile: Profile?

    init(capacity n: Int, training: Bool = true, keepsConvolutionOutputs: Bool = false) {
        capacity = n
        isTraining = training
        let b = training ? n : 0
        input = Buffer(count: n * Net.inputCount)
        labels = Buffer(count: n, zero: 0)
        padded1 = Buffer(count: Net.conv1.paddedCount(batch: n))
        plainPadded1 = Buffer(count: training ? Net.conv1.plainPaddedCount(batch: n) : 0)
        conv1 = keepsConvolutionOutputs ? Buffer(count: n * Net.conv1.outputCount) : nil
        pool1 = Buffer(count: n * Net.pool1.outputCount)
        switches1 = Buffer(count: n * Net.pool1.outputCount, zero: 0)
        conv2 = keepsConvolutionOutputs ? Buffer(count: n * Net.conv2.outputCount) : nil
        pool2 = Buffer(count: n * Net.pool2.outputCount)
        switches2 = Buffer(count: n * Net.pool2.outputCount, zero: 0)
        flat = Buffer(count: n * Net.fc1.inFeatures)
        fc1 = Buffer(count: n * Net.fc1.outFeatures)
        fc2 = Buffer(count: n * Net.fc2.outFeatures)
        logits = Buffer(count: n * Net.classes)
        logProbabilities = Buffer(count: n * Net.classes)

        dLogProbabilities = Buffer(count: b * Net.classes)
        dLogits = Buffer(count: b * Net.classes)
        dFc2 = Buffer(count: b * Net.fc2.outFeatures)
        dFc1 = Buffer(count: b * Net.fc1.outFeatures)
        dFlat = Buffer(count: b * Net.fc1.inFeatures)
        dPool2 = Buffer(count: b * Net.pool2.outputCount)
        dPool1 = Buffer(count: b * Net.pool1.outputCount)
        gradient = Buffer(count: training ? Net.parameterCount : 0)
    }
}
