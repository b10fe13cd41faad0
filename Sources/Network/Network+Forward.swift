/// What a forward pass over a batch kept, image-major (PyTorch's layout): the outputs of the layers
/// asked for, the max-pool switches, and always the log-probabilities.
public struct NetworkPass: Sendable {
    public let count: Int
    /// Layer index → (n, output shape of that layer).
    public let outputs: [Int: [Float]]
    /// Max-pool layer index → (n, C, Ho, Wo): where in its input plane each maximum was (y · W + x),
    /// the first maximum of a window on ties.
    public let switches: [Int: [Int32]]
    /// (n, classes); empty when the pass stopped before the classifier.
    public let logProbabilities: [Float]

    public init(count: Int, outputs: [Int: [Float]], switches: [Int: [Int32]], logProbabilities: [Float]) {
        self.count = count
        self.outputs = outputs
        self.switches = switches
        self.logProbabilities = logProbabilities
    }

    /// Image `i`'s output of `layer`.
    public func output(_ layer: Int, image i: Int) -> ArraySlice<Float> {
        let all = outputs[layer]!, size = all.count / count
        return all[i * size..<(i + 1) * size]
    }

    /// The most probable class of each image (the first on a tie).
    public var predictions: [Int] {
        let classes = logProbabilities.count / max(count, 1)
        return (0..<count).map { i in
            let row = logProbabilities[(i * classes)..<((i + 1) * classes)]
            return row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - i * classes
        }
    }
}

extension Network {
    /// The layers whose outputs a backward pass from layer `top` down to the input reads: every
    /// ReLU's (its mask), the log-softmax's, and `top`'s own (the seed's source); and the output
    /// of every convolutional block up to `top`, so that one trace seeds a projection from any of
    /// those layers.
    public func tracedLayers(below top: Int) -> Set<Int> {
        var kept: Set<Int> = [top]
        for block in convolutionalLayers where block.outputLayer <= top { kept.insert(block.outputLayer) }
        for i in 0...top {
            switch layers[i] {
            case .relu, .logSoftmax: kept.insert(i)
            default: break
            }
        }
        return kept
    }

    /// Runs the network on `images` (pixels, byte / 255, `inputCount` floats each, normalised as
    /// the network says) and keeps the outputs of the layers in `keeping`, the max-pool switches
    /// when `switches` is true, and the log-probabilities unless `classifier` is false, when the
    /// pass stops after the last layer kept. Two shards of fixed ranges, each in chunks; every
    /// kernel computes an image's values in an order that does not depend on the batch, so the
    /// result is the same on one thread or two and for any chunk size.
    public func forward(images: [Float], keeping: Set<Int> = [], switches: Bool = false, classifier: Bool = true,
                        threads: Int = 2) -> NetworkPass {
        precondition(images.count % inputCount == 0, "images must be \(inputCount) floats each")
        precondition(keeping.allSatisfy(layers.indices.contains), "no such layer")
        let n = images.count / inputCount
        let last = classifier ? layers.count - 1 : (keeping.max() ?? 0)
        var kept = keeping
        if classifier { kept.insert(layers.count - 1) }
        let switched = switches
            ? Set(layers.indices.filter { i in i <= last && { if case .maxPool = $0 { true } else { false } }(layers[i]) })
            : []

        // Each shard writes its own images' rows of these, so the threads never share memory; the
        // arrays are filled in place, neither zeroed first nor copied after (every row is written).
        let sizes = Dictionary(uniqueKeysWithValues: kept.map { ($0, n * outputShapes[$0].reduce(1, *)) })
        let switchSizes = Dictionary(uniqueKeysWithValues: switched.map { ($0, n * outputShapes[$0].reduce(1, *)) })
        var switchArrays: [Int: [Int32]] = [:]
        var arrays: [Int: [Float]] = filledArrays(sizes) { outputs in
            switchArrays = filledArrays(switchSizes) { switchOutputs in
                guard n > 0 else { return }
                let sink = PassSink(outputs: outputs, switches: switchOutputs)
                if isLeNet5, LeNet5Pass.provides(kept) {
                    LeNet5Pass.run(self, images: images, count: n, sink: sink, last: last, switches: switches, threads: threads)
                } else {
                    GeneralPass.run(self, images: images, count: n, sink: sink, last: last, threads: threads)
                }
            }
        }
        let logProbabilities = classifier ? arrays[layers.count - 1]! : []
        if classifier, !keeping.contains(layers.count - 1) { arrays[layers.count - 1] = nil }
        return NetworkPass(count: n, outputs: arrays, switches: switchArrays, logProbabilities: logProbabilities)
    }

    /// Everything a backward pass from layer `top` (by default the log-softmax) needs, for a few images.
    public func trace(images: [Float], top: Int? = nil, threads: Int = 1) -> NetworkPass {
        let top = top ?? layers.count - 1
        return forward(images: images, keeping: tracedLayers(below: top), switches: true, classifier: true, threads: threads)
    }
}

/// Where a pass's shards put what is kept: the storage of image-major arrays by layer.
struct PassSink: @unchecked Sendable {
    let outputs: [Int: UnsafeMutablePointer<Float>]
    let switches: [Int: UnsafeMutablePointer<Int32>]

    /// Copies `m` images' output of `layer`, channel-major (C, m, plane) when `plane` > 0 (maps) or
    /// image-major (m, features) otherwise, to images `start…` of the kept array.
    func keep<T>(_ source: UnsafePointer<T>, into pointer: UnsafeMutablePointer<T>?, start: Int, count m: Int, channels: Int, plane: Int) {
        guard let pointer else { return }
        if plane == 0 {
            (pointer + start * channels).update(from: source, count: m * channels)
            return
        }
        for image in 0..<m {
            for c in 0..<channels {
                (pointer + ((start + image) * channels + c) * plane).update(from: source + (c * m + image) * plane, count: plane)
            }
        }
    }
}

/// Arrays of `counts` elements by key, which `body` fills through pointers to their storage (a
/// pointer for every non-empty one): no zeroing before, no copy after. `body` must write every
/// element of every array.
func filledArrays<Key: Hashable, T: BitwiseCopyable>(_ counts: [Key: Int], _ body: ([Key: UnsafeMutablePointer<T>]) -> Void) -> [Key: [T]] {
    var result: [Key: [T]] = [:]
    func fill(_ remaining: ArraySlice<(key: Key, value: Int)>, _ pointers: [Key: UnsafeMutablePointer<T>]) {
        guard let (key, count) = remaining.first else { return body(pointers) }
        result[key] = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            var pointers = pointers
            if count > 0 { pointers[key] = buffer.baseAddress! }
            fill(remaining.dropFirst(), pointers)
            initialized = count
        }
    }
    fill(ArraySlice(counts.map { $0 }), [:])
    return result
}
