/// Spearman's rank correlation as `scipy.stats.spearmanr` computes it for two samples: the Pearson
/// correlation of their ranks, tied values sharing the average of the ranks they span.
public enum Spearman {
    /// The correlation of `a` and `b` (equal lengths, finite values), in [−1, 1]. When either
    /// sample is constant its ranks do not vary and the correlation is undefined: NaN, as scipy
    /// returns. `SimilaritySummary` skips NaN and counts what it skipped.
    public static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "Spearman: samples of \(a.count) and \(b.count) values")
        return pearson(ranks(a), ranks(b))
    }

    /// Ranks 1…n in ascending order; a run of equal values gets the mean of the ranks it covers
    /// (scipy's `rankdata(method="average")`).
    static func ranks(_ values: [Float]) -> [Double] {
        precondition(values.allSatisfy(\.isFinite), "Spearman: ranks of non-finite values are not defined")
        // Sorted as integers: each value's bits made to order as the floats do (−0 just below +0,
        // which the runs below treat as equal), above its index.
        let order = values.indices.map { i -> UInt64 in
            let bits = values[i].bitPattern
            return UInt64(bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000) << 32 | UInt64(i)
        }.sorted().map { Int($0 & 0xFFFF_FFFF) }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold ranks start+1 … end; their mean:
            let rank = Double(start + 1 + end) / 2
            for k in start..<end { ranks[order[k]] = rank }
            start = end
        }
        return ranks
    }

    /// The Pearson correlation, from deviations about the means (more accurate than the raw
    /// sums), clipped to [−1, 1] as scipy does; NaN when either sample has no variance.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count && !x.isEmpty, "Pearson: samples of \(x.count) and \(y.count) values")
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return min(1, max(-1, sxy / (sxx * syy).squareRoot()))
    }
}
