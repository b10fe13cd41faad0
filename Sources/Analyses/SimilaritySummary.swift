/// Where a set of similarity values lies: mean, extremes and quartiles over the defined ones.
/// NaN values (a Spearman correlation with a constant sample) are skipped and counted.
public struct SimilaritySummary: Sendable {
    /// Values summarised, and NaN values skipped.
    public let count: Int
    public let skipped: Int
    public let mean: Double
    public let minimum: Double
    /// Quartiles interpolated linearly between order statistics, as numpy's default `quantile`.
    public let lowerQuartile: Double
    public let median: Double
    public let upperQuartile: Double
    public let maximum: Double

    /// NaN throughout when no value is defined.
    public init(_ values: [Double]) {
        let sorted = values.filter { !$0.isNaN }.sorted()
        count = sorted.count
        skipped = values.count - sorted.count
        func quantile(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let position = q * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
            return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
        }
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        minimum = sorted.first ?? .nan
        lowerQuartile = quantile(0.25)
        median = quantile(0.5)
        upperQuartile = quantile(0.75)
        maximum = sorted.last ?? .nan
    }
}
