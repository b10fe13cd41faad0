/// One split of MNIST, kept as bytes; batches are converted to `Float` on demand.
public struct Dataset: Sendable {
    /// `count × 784` bytes, row-major 28 × 28 images.
    public let pixels: [UInt8]
    public let labels: [UInt8]

    public init(pixels: [UInt8], labels: [UInt8]) {
        precondition(pixels.count == labels.count * MNISTImage.pixels, "pixel and label counts disagree")
        self.pixels = pixels
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// The first `n` examples (all of them when `n` is at least `count`).
    public func prefix(_ n: Int) -> Dataset {
        let n = min(n, count)
        return Dataset(pixels: Array(pixels[0..<n * MNISTImage.pixels]), labels: Array(labels[0..<n]))
    }

    /// How many examples carry each label 0–9.
    public var classCounts: [Int] {
        labels.reduce(into: [Int](repeating: 0, count: 10)) { $0[Int($1)] += 1 }
    }

    /// The labels with the most and the fewest examples (of equal counts the lower label).
    public var largestClass: Int {
        let counts = classCounts
        return counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
    }
    public var smallestClass: Int {
        let counts = classCounts
        return counts.indices.min { counts[$0] < counts[$1] }!
    }

    /// Writes the images at `indices` as `byte / 255` into `destination`, 784 floats each.
    public func fill(_ destination: UnsafeMutablePointer<Float>, with indices: UnsafeBufferPointer<Int>) {
        pixels.withUnsafeBufferPointer { source in
            var out = destination
            for index in indices {
                let image = source.baseAddress! + index * MNISTImage.pixels
                for p in 0..<MNISTImage.pixels { out[p] = Float(image[p]) / 255 }
                out += MNISTImage.pixels
            }
        }
    }

    /// The images at `indices` as `byte / 255`, 784 floats each.
    public func images(_ indices: some Collection<Int>) -> [Float] {
        [Float](unsafeUninitializedCapacity: indices.count * MNISTImage.pixels) { buffer, initialized in
            Array(indices).withUnsafeBufferPointer { fill(buffer.baseAddress!, with: $0) }
            initialized = buffer.count
        }
    }
}
