import Testing
@testable import Network

/// Seeded random arrays for tests.
struct TestRandom {
    var generator: SplitMix64
    init(_ seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// Uniform in ±scale.
    mutating func uniform(_ count: Int, scale: Double = 1) -> [Double] {
        (0..<count).map { _ in (2 * Double(generator.nextUnitFloat()) - 1) * scale }
    }

    /// Uniform in ±scale but at least `gap` away from zero, so ReLU's kink is never crossed.
    mutating func awayFromZero(_ count: Int, gap: Double = 0.1) -> [Double] {
        uniform(count).map { $0 < 0 ? $0 - gap : $0 + gap }
    }

    /// Distinct values at least 0.05 apart in random order, so max-pooling has no near-ties.
    mutating func distinct(_ count: Int) -> [Double] {
        (0..<count).map { Double($0) * 0.05 - Double(count) * 0.025 }.shuffled(using: &generator)
    }

    /// A position in 0..<count.
    mutating func index(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }

    mutating func labels(_ count: Int, classes: Int = 10) -> [Int32] {
        (0..<count).map { _ in Int32(generator.next() % UInt64(classes)) }
    }
}

/// The largest |a − b| / max(1, |a|, |b|) over the pairs, and where it is.
func worstRelativeError(_ a: [Double], _ b: [Double]) -> (error: Double, index: Int) {
    precondition(a.count == b.count, "compared arrays differ in length: \(a.count) vs \(b.count)")
    var worst = (error: 0.0, index: -1)
    for i in a.indices {
        let e = abs(a[i] - b[i]) / max(1, abs(a[i]), abs(b[i]))
        if e > worst.error { worst = (e, i) }
    }
    return worst
}

/// Expects `actual` to match `expected` within `tolerance` (relative, see `worstRelativeError`),
/// naming the worst element when it does not.
func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    let worst = worstRelativeError(actual, expected)
    #expect(worst.error <= tolerance,
            "\(what): worst relative difference \(worst.error) at \(worst.index) (\(actual[max(worst.index, 0)]) vs \(expected[max(worst.index, 0)])), tolerance \(tolerance)",
            sourceLocation: sourceLocation)
}

func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose(actual.map(Double.init), expected, tolerance: tolerance, what, sourceLocation: sourceLocation)
}

/// Central differences of `loss` at `x` in the coordinates `indices` (all when nil).
func numericGradient(at x: [Double], indices: [Int]? = nil, step h: Double = 1e-6, _ loss: ([Double]) -> Double) -> [Double] {
    (indices ?? Array(x.indices)).map { i in
        var plus = x, minus = x
        plus[i] += h
        minus[i] -= h
        return (loss(plus) - loss(minus)) / (2 * h)
    }
}

/// Σ gᵢ yᵢ: a scalar whose gradient with respect to y is g, to check a layer's backward pass.
func dot(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

/// Runs `body` with mutable pointers to a copy of `values` as Float, and returns the copy.
func withFloats(_ values: [Double], _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    var floats = values.map(Float.init)
    floats.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    return floats
}

/// A learnable stand-in for MNIST: digit d is a bright 6 × 6 square at a position of its own, on
/// faint noise.
struct SyntheticDigits: LabeledImages {
    let images: [Float]
    let labels: [UInt8]

    init(count: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var images = [Float](), labels = [UInt8]()
        for _ in 0..<count {
            let digit = Int(random.next() % 10)
            var image = (0..<784).map { _ in 0.2 * random.nextUnitFloat() }
            let (top, left) = (2 + 12 * (digit / 5), 1 + 5 * (digit % 5))
            for y in top..<top + 6 { for x in left..<left + 6 { image[y * 28 + x] = 0.8 + 0.2 * random.nextUnitFloat() } }
            images += image
            labels.append(UInt8(digit))
        }
        self.images = images
        self.labels = labels
    }

    func fill(_ destination: UnsafeMutablePointer<Float>, with indices: UnsafeBufferPointer<Int>) {
        for (row, index) in indices.enumerated() {
            for p in 0..<784 { destination[row * 784 + p] = images[index * 784 + p] }
        }
    }
}

/// (n, C, plane) → (C, n, plane), the engine's layout for convolutional maps, as Float.
func channelMajor(_ values: [Double], n: Int, channels: Int) -> [Float] {
    let plane = values.count / (n * channels)
    var result = [Float]()
    for c in 0..<channels {
        for i in 0..<n {
            let start = (i * channels + c) * plane
            result += values[start..<(start + plane)].map(Float.init)
        }
    }
    return result
}

/// (C, n, plane) → (n, C, plane).
func imageMajor<T>(_ values: [T], n: Int, channels: Int) -> [T] {
    let plane = values.count / (n * channels)
    var result = [T]()
    for i in 0..<n {
        for c in 0..<channels {
            let start = (c * n + i) * plane
            result += values[start..<(start + plane)]
        }
    }
    return result
}

/// Scratch memory full of NaN, so that a kernel reading scratch it has not written fails its test.
func poisonedScratch() -> Scratch {
    let scratch = Scratch()
    scratch.withBuffer(of: Float.self, capacity: 1 << 20) { $0.initialize(repeating: .nan) }
    return scratch
}
