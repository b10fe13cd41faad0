import Foundation

/// Chooses the labelled ticks of a linear axis: Wilkinson's extended algorithm (Talbot, Lin and
/// Hanrahan, "An Extension of Wilkinson's Algorithm for Positioning Tick Labels on Axes", InfoVis
/// 2010; R's `labeling::extended`, which ggplot2 uses), which weighs simple steps (1, 5, 2, 2.5,
/// 4, 3 times a power of ten, best first), coverage of the data, the wanted density and zero
/// among the ticks; here only tick counts in `counts` are considered, as matplotlib's
/// `MaxNLocator` bounds them. Angles in degrees step by 90, 45, 30, … instead.
public struct TickLocator: Sendable, Equatable {
    /// The values ticks may take.
    public enum Values: Sendable, Equatable {
        case real
        /// Whole numbers only (epochs, counts).
        case integer
        /// Degrees: multiples of 90, 45, 30, 180, 15, 60, 10 or 5 (the first that gives an
        /// acceptable count), so that a full turn reads 0, 90, 180, 270, 360.
        case degrees
    }

    public var values: Values
    /// The acceptable numbers of labelled ticks.
    public var counts: ClosedRange<Int>
    /// The number of ticks the density term aims for.
    public var target: Int

    public init(values: Values = .real, counts: ClosedRange<Int> = 4...8, target: Int = 5) {
        precondition(counts.lowerBound >= 2, "an axis needs at least two ticks")
        self.values = values
        self.counts = counts
        self.target = min(max(target, counts.lowerBound), counts.upperBound)
    }

    /// The chosen ticks: `count` multiples of `step`, the first `first`, each exact to `decimals`
    /// places (0.6 reads 0.6, not 0.6000000000000001).
    public struct Ticks: Sendable, Equatable {
        public let values: [Double]
        public let step: Double
        /// Decimal places that every tick needs and none has more of.
        public let decimals: Int
    }

    /// Ticks for `range`. With `loose`, the ticks cover the range (an axis then runs from the
    /// first tick to the last, so the data ends on labelled values); otherwise they lie inside it.
    /// A count within `counts` is guaranteed when the range allows one; an empty or degenerate
    /// range gets ticks around its value.
    public func ticks(for range: ClosedRange<Double>, loose: Bool) -> Ticks {
        var (lower, upper) = (range.lowerBound, range.upperBound)
        if upper - lower <= 1e-12 * max(abs(lower), abs(upper), 1e-300) || !(upper - lower).isFinite {
            // One value: an interval around it, so that it sits between labelled ticks.
            let padding = lower == 0 ? 1 : abs(lower) / 10
            (lower, upper) = (lower - padding, upper + padding)
        }
        if values == .degrees, let ticks = degreeTicks(lower, upper, loose: loose) { return ticks }
        if let best = extended(lower, upper, loose: loose, counts: counts) { return best }
        // No count in `counts` fits (a range narrower than its ticks allow): the best of any count;
        // then any values, for whole numbers cannot tick a range much narrower than 1.
        let anyValue = TickLocator(values: .real, counts: counts, target: target)
        if let best = extended(lower, upper, loose: loose, counts: 2...max(counts.upperBound, 12))
            ?? anyValue.extended(lower, upper, loose: loose, counts: 2...max(counts.upperBound, 12))
            ?? anyValue.extended(lower, upper, loose: true, counts: 2...Int.max) {
            return best
        }
        // Not reached for finite ranges; the two ends, rather than a crash.
        return Ticks(values: [lower, upper], step: upper - lower, decimals: 6)
    }

    // MARK: Wilkinson's extended algorithm

    /// The nice numbers q, best first; their index is the simplicity penalty.
    static let niceNumbers: [(mantissa: Int, shift: Int)] = [(1, 0), (5, 0), (2, 0), (25, -1), (4, 0), (3, 0)]
    /// Weights of simplicity, coverage, density and legibility (Talbot et al.'s defaults).
    static let weights = (simplicity: 0.25, coverage: 0.2, density: 0.5, legibility: 0.05)

    private struct Candidate {
        var score: Double
        /// Ticks are (start + i × skip) × unit for i in 0..<count; unit = mantissa × 10^exponent.
        var start: Int, skip: Int, count: Int, mantissa: Int, exponent: Int
    }

    private func extended(_ dmin: Double, _ dmax: Double, loose: Bool, counts: ClosedRange<Int>) -> Ticks? {
        let w = Self.weights, nice = Self.niceNumbers, span = dmax - dmin
        let m = Double(min(max(target, counts.lowerBound), counts.upperBound))
        var best: Candidate?
        var bestScore = -2.0
        func simplicityMax(_ i: Int, _ j: Int) -> Double { 1 - Double(i) / Double(nice.count - 1) - Double(j) + 1 }
        func densityMax(_ k: Int) -> Double { Double(k) >= m ? 2 - Double(k - 1) / (m - 1) : 1 }
        func coverageMax(_ extent: Double) -> Double {
            guard extent > span else { return 1 }
            let half = (extent - span) / 2
            return 1 - 0.5 * (2 * half * half) / pow(0.1 * span, 2)
        }

        var j = 1
        skips: while true {
            for (i, q) in nice.enumerated() {
                let sm = simplicityMax(i, j)
                if w.simplicity * sm + w.coverage + w.density + w.legibility < bestScore { break skips }
                var k = 2
                while true {
                    let dm = densityMax(k)
                    if w.simplicity * sm + w.coverage + w.density * dm + w.legibility < bestScore { break }
                    let qValue = Double(q.mantissa) * pow(10, Double(q.shift))
                    var z = Int(ceil(log10(span / Double(k + 1) / Double(j) / qValue)))
                    while true {
                        let unitExponent = z + q.shift
                        let unit = Self.exact(q.mantissa, unitExponent)
                        let step = Double(j) * unit
                        let cm = coverageMax(step * Double(k - 1))
                        if w.simplicity * sm + w.coverage * cm + w.density * dm + w.legibility < bestScore { break }
                        if values == .integer && (unitExponent < 0) { z += 1; continue }
                        // Starts, in units, of the runs of k ticks that can cover or sit in the range.
                        let minStart = Int(floor(dmax / step)) * j - (k - 1) * j
                        let maxStart = Int(ceil(dmin / step)) * j
                        if minStart <= maxStart && counts.contains(k) {
                            for start in minStart...maxStart {
                                let lmin = Self.exact(start * q.mantissa, unitExponent)
                                let lmax = Self.exact((start + (k - 1) * j) * q.mantissa, unitExponent)
                                let slack = 1e-9 * max(abs(dmin), abs(dmax), span)
                                let acceptable = loose ? lmin <= dmin + slack && lmax >= dmax - slack
                                                       : lmin >= dmin - slack && lmax <= dmax + slack
                                guard acceptable else { continue }
                                let zeroIncluded = start % j == 0 && lmin <= 0 && lmax >= 0
                                let s = 1 - Double(i) / Double(nice.count - 1) - Double(j) + (zeroIncluded ? 1 : 0)
                                let c = 1 - 0.5 * (pow(dmax - lmax, 2) + pow(dmin - lmin, 2)) / pow(0.1 * span, 2)
                                let r = Double(k - 1) / (lmax - lmin), rt = (m - 1) / (max(lmax, dmax) - min(dmin, lmin))
                                let g = 2 - max(r / rt, rt / r)
                                let score = w.simplicity * s + w.coverage * c + w.density * g + w.legibility
                                if score > bestScore {
                                    bestScore = score
                                    best = Candidate(score: score, start: start, skip: j, count: k,
                                                     mantissa: q.mantissa, exponent: unitExponent)
                                }
                            }
                        }
                        z += 1
                    }
                    k += 1
                }
            }
            j += 1
        }
        guard let best else { return nil }
        let numerators = (0..<best.count).map { (best.start + $0 * best.skip) * best.mantissa }
        return Ticks(values: numerators.map { Self.exact($0, best.exponent) }, step: Self.exact(best.skip * best.mantissa, best.exponent),
                     decimals: numerators.map { Self.decimals(mantissa: $0, exponent: best.exponent) }.max() ?? 0)
    }

    /// n × 10^exponent as the double nearest to the decimal (dividing by an exact power of ten).
    static func exact(_ n: Int, _ exponent: Int) -> Double {
        exponent < 0 ? Double(n) / pow(10, Double(-exponent)) : Double(n) * pow(10, Double(exponent))
    }

    /// Decimal places that mantissa × 10^exponent needs (25 × 10⁻² → 2, 50 × 10⁻² → 1).
    static func decimals(mantissa: Int, exponent: Int) -> Int {
        guard exponent < 0 else { return 0 }
        var (m, places) = (mantissa, -exponent)
        while places > 0 && m % 10 == 0 { m /= 10; places -= 1 }
        return places
    }

    // MARK: Degrees

    static let degreeSteps = [90, 45, 30, 180, 15, 60, 10, 5, 360]

    private func degreeTicks(_ lower: Double, _ upper: Double, loose: Bool) -> Ticks? {
        for step in Self.degreeSteps {
            let s = Double(step)
            let first = Int(loose ? floor(lower / s + 1e-9) : ceil(lower / s - 1e-9))
            let last = Int(loose ? ceil(upper / s - 1e-9) : floor(upper / s + 1e-9))
            if counts.contains(last - first + 1) {
                return Ticks(values: (first...last).map { Double($0 * step) }, step: s, decimals: 0)
            }
        }
        return nil
    }
}
