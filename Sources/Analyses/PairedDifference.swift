import Network

/// The mean of paired differences a − b over the pairs where both are defined, with a 95 %
/// percentile bootstrap interval: `resamples` seeded resamples of the pairs with replacement.
public struct PairedDifference: Sendable, Equatable {
    public static let resamples = 2000, seed: UInt64 = 2018
    public let mean: Double, low: Double, high: Double
    /// Pairs used (both values defined).
    public let count: Int

    public init(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count, "paired samples of \(a.count) and \(b.count) values")
        let differences = zip(a, b).filter { !$0.isNaN && !$1.isNaN }.map { $0 - $1 }
        count = differences.count
        guard !differences.isEmpty else {
            (mean, low, high) = (.nan, .nan, .nan)
            return
        }
        mean = differences.reduce(0, +) / Double(count)
        var random = SplitMix64(seed: Self.seed)
        var means: [Double] = []
        means.reserveCapacity(Self.resamples)
        for _ in 0..<Self.resamples {
            var sum = 0.0
            for _ in 0..<count { sum += differences[Int(random.next() % UInt64(count))] }
            means.append(sum / Double(count))
        }
        means.sort()
        (low, high) = (means[Self.resamples * 25 / 1000], means[Self.resamples * 975 / 1000 - 1])
    }

    /// The interval lies above zero: a lies above b beyond the resampling's spread.
    public var isPositive: Bool { low > 0 }
}
