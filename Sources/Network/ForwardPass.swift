/// Everything a forward pass computed for a set of images, for code outside the model (the
/// deconvnet, the figures): the rectified convolution outputs, both max-pool outputs with their
/// switches, and the log-probabilities.
public struct ForwardPass: Sendable {
    public let count: Int
    /// (n, 6, 28, 28), after ReLU.
    public let conv1: [Float]
    /// (n, 6, 14, 14).
    public let pool1: [Float]
    /// (n, 6, 14, 14): where in its 28 × 28 plane each pool1 maximum was (y · 28 + x).
    public let pool1Switches: [Int32]
    /// (n, 16, 10, 10), after ReLU.
    public let conv2: [Float]
    /// (n, 16, 5, 5).
    public let pool2: [Float]
    /// (n, 16, 5, 5): where in its 10 × 10 plane each pool2 maximum was (y · 10 + x).
    public let pool2Switches: [Int32]
    /// (n, 10).
    public let logProbabilities: [Float]

    /// The most probable class of each image.
    public var predictions: [Int] {
        (0..<count).map { i in
            let row = logProbabilities[(i * LeNet5.classes)..<((i + 1) * LeNet5.classes)]
            return row.indices.max { row[$0] < row[$1] }! - i * LeNet5.classes
        }
    }
}

extension LeNet5 {
    /// Runs the network on `images`, 784 floats (pixel / 255) each, normalised as the model says.
    public func forward(images: [Float]) -> ForwardPass {
        precondition(images.count % Self.inputCount == 0, "images must be 784 floats each")
        let n = images.count / Self.inputCount
        let w = Workspace(capacity: n, training: false, keepsConvolutionOutputs: true)
        images.withUnsafeBufferPointer { w.input.pointer.update(from: $0.baseAddress!, count: $0.count) }
        normalization?.apply(w.input.pointer, count: images.count)
        if n > 0 { parameters.withUnsafeBufferPointer { Self.forward($0.baseAddress!, w, batch: n) } }
        // The engine keeps maps channel-major, (C, n, H, W); callers get them image by image.
        func imageMajor<T>(_ buffer: Buffer<T>, channels: Int) -> [T] {
            let plane = buffer.count / max(n * channels, 1)
            return (0..<n).flatMap { image in
                (0..<channels).flatMap { c in UnsafeBufferPointer(start: buffer.pointer + (c * n + image) * plane, count: plane) }
            }
        }
        return ForwardPass(count: n, conv1: imageMajor(w.conv1!, channels: 6), pool1: imageMajor(w.pool1, channels: 6),
                           pool1Switches: imageMajor(w.switches1, channels: 6), conv2: imageMajor(w.conv2!, channels: 16),
                           pool2: imageMajor(w.pool2, channels: 16), pool2Switches: imageMajor(w.switches2, channels: 16),
                           logProbabilities: w.logProbabilities.array)
    }
}
