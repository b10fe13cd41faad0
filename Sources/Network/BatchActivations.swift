/// What a batched inference pass keeps of each image, image-major (PyTorch's layout): only the
/// parts asked for, without the convolution outputs that `ForwardPass` holds, so that ten
/// thousand images fit in little memory. Parts not asked for are empty.
public struct BatchActivations: Sendable {
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let pool1 = Parts(rawValue: 1 << 0)
        public static let pool2 = Parts(rawValue: 1 << 1)
        /// Both max-pool layers' switches.
        public static let switches = Parts(rawValue: 1 << 2)
        public static let fc2 = Parts(rawValue: 1 << 3)
        public static let logProbabilities = Parts(rawValue: 1 << 4)
    }

    public let count: Int
    /// (n, 6, 14, 14).
    public internal(set) var pool1: [Float] = []
    /// (n, 6, 14, 14), y · 28 + x in each conv1 plane, when `.switches` and `.pool1` are asked for.
    public internal(set) var pool1Switches: [Int32] = []
    /// (n, 16, 5, 5).
    public internal(set) var pool2: [Float] = []
    /// (n, 16, 5, 5), y · 10 + x in each conv2 plane, when `.switches` and `.pool2` are asked for.
    public internal(set) var pool2Switches: [Int32] = []
    /// (n, 84), after ReLU.
    public internal(set) var fc2: [Float] = []
    /// (n, 10).
    public internal(set) var logProbabilities: [Float] = []
}

extension LeNet5 {
    /// Runs the network on `images` (784 floats each, pixel / 255, normalised as the model says) with the engine's two shards,
    /// `chunk` images per shard at a time (by default the engine's own choice), and keeps `parts`.
    /// The values are exactly those of `forward(images:)`: no kernel's result for an image depends
    /// on the batch it is in.
    public func activations(images: [Float], keeping parts: BatchActivations.Parts, chunk: Int? = nil,
                            threads: Int = 2) -> BatchActivations {
        let chunk = chunk ?? Engine.inferenceChunk
        precondition(images.count % Self.inputCount == 0, "images must be 784 floats each")
        precondition(chunk > 0)
        let n = images.count / Self.inputCount
        var result = BatchActivations(count: n)
        guard n > 0 else { return result }
        let engine = Engine(capacityPerShard: min(chunk, (n + 1) / 2), training: false, threads: threads)

        // Each shard writes its own images' rows of these, so the threads never share memory.
        func output<T>(_ part: BatchActivations.Parts, _ perImage: Int, _ zero: T, also: BatchActivations.Parts = []) -> Buffer<T>? {
            parts.isSuperset(of: part.union(also)) ? Buffer(count: n * perImage, zero: zero) : nil
        }
        let pool1 = output(.pool1, Self.pool1.outputCount, Float(0)), switches1 = output(.pool1, Self.pool1.outputCount, Int32(0), also: .switches)
        let pool2 = output(.pool2, Self.pool2.outputCount, Float(0)), switches2 = output(.pool2, Self.pool2.outputCount, Int32(0), also: .switches)
        let fc2 = output(.fc2, Self.fc2.outFeatures, Float(0))
        let logProbabilities = output(.logProbabilities, Self.classes, Float(0))

        // The fully connected layers cost about a sixth of the pass; skip them when not needed.
        let classifier = !parts.isDisjoint(with: [.fc2, .logProbabilities])
        let normalization = normalization
        images.withUnsafeBufferPointer { images in
            parameters.withUnsafeBufferPointer { parameters in
                let (images, parameters) = (images.baseAddress!, parameters.baseAddress!)
                engine.eachShard { s, w in
                    let range = Engine.shardRange(s, of: n)
                    for start in Swift.stride(from: range.lowerBound, to: range.upperBound, by: w.capacity) {
                        let m = min(w.capacity, range.upperBound - start)
                        w.input.pointer.update(from: images + start * Self.inputCount, count: m * Self.inputCount)
                        normalization?.apply(w.input.pointer, count: m * Self.inputCount)
                        Self.forward(parameters, w, batch: m, classifier: classifier, switches: parts.contains(.switches))
                        // The maps are channel-major, (C, m, H, W), in the workspace.
                        func copyMaps<T>(_ source: Buffer<T>, into destination: Buffer<T>?, channels: Int, plane: Int) {
                            guard let destination else { return }
                            for image in 0..<m {
                                for c in 0..<channels {
                                    (destination.pointer + ((start + image) * channels + c) * plane)
                                        .update(from: source.pointer + (c * m + image) * plane, count: plane)
                                }
                            }
                        }
                        let (plane1, plane2) = (Self.pool1.outputPlane, Self.pool2.outputPlane)
                        copyMaps(w.pool1, into: pool1, channels: Self.pool1.channels, plane: plane1)
                        copyMaps(w.switches1, into: switches1, channels: Self.pool1.channels, plane: plane1)
                        copyMaps(w.pool2, into: pool2, channels: Self.pool2.channels, plane: plane2)
                        copyMaps(w.switches2, into: switches2, channels: Self.pool2.channels, plane: plane2)
                        if let fc2 { (fc2.pointer + start * Self.fc2.outFeatures).update(from: w.fc2.pointer, count: m * Self.fc2.outFeatures) }
                        if let logProbabilities {
                            (logProbabilities.pointer + start * Self.classes).update(from: w.logProbabilities.pointer, count: m * Self.classes)
                        }
                    }
                }
            }
        }
        result.pool1 = pool1?.array ?? []
        result.pool1Switches = switches1?.array ?? []
        result.pool2 = pool2?.array ?? []
        result.pool2Switches = switches2?.array ?? []
        result.fc2 = fc2?.array ?? []
        result.logProbabilities = logProbabilities?.array ?? []
        return result
    }
}
