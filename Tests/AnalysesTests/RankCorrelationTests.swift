import Testing
@testable import Analyses

@Suite struct RankCorrelationTests {
    /// Ties share the mean of their ranks: 20 occupies ranks 2, 3, 4 → 3 (scipy.stats.rankdata
    /// gives [1, 3, 3, 5, 3]).
    @Test func tiedValuesShareTheirMeanRank() {
        #expect(Spearman.ranks([10, 20, 20, 30, 20]) == [1, 3, 3, 5, 3])
        #expect(Spearman.ranks([0.5, -1, 0.5, 0.5]) == [3, 1, 3, 3])
    }

    /// The ranks sort the values as integers made from their bits; they must be the ranks that
    /// comparing the floats gives: negative and positive values, −0 beside +0 (equal), many ties.
    @Test func ranksAgreeWithComparingTheFloats() {
        var state: UInt64 = 7
        let values: [Float] = (0..<2_000).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let pick = Int(state >> 59)   // 0…31
            return pick < 4 ? [-0.0, 0.0, 1, -1][pick] : Float(Int(state >> 40 & 0xFFFF) - 32_768) / Float(1 + pick)
        }
        let expected = values.map { v in
            let below = values.filter { $0 < v }.count, equal = values.filter { $0 == v }.count
            return Double(2 * below + equal + 1) / 2
        }
        #expect(Spearman.ranks(values) == expected)
    }

    /// By hand: ranks [1, 2.5, 2.5, 4] and [1, 3, 2, 4], deviations [−1.5, 0, 0, 1.5] and
    /// [−1.5, 0.5, −0.5, 1.5]: r = 4.5 / √(4.5 · 5) = 3/√10 (scipy: 0.9486832980505139).
    @Test func correlationWithTiesByHand() {
        let r = Spearman.correlation([1, 2, 2, 3], [1, 3, 2, 4])
        #expect(abs(r - 3 / 10.0.squareRoot()) <= 1e-15, "r = \(r)")
    }

    /// Many ties on both sides, as in projections full of zeros. Expected value from
    /// scipy.stats.spearmanr 1.17.1: 0.4058523065984002. Tolerance 1e-14.
    @Test func correlationWithManyTiesAgreesWithScipy() {
        let r = Spearman.correlation([0, 0, 0, 1, 2, 2, 5, 0, 3, 3], [4, 0, 1, 1, 2, 7, 5, 0, 0, 3])
        #expect(abs(r - 0.4058523065984002) <= 1e-14, "r = \(r)")
    }

    @Test func monotoneSamplesCorrelateFully() {
        let a: [Float] = [0.1, 3, -2, 7, 7.5], b = a.map { $0 * $0 * $0 }
        #expect(Spearman.correlation(a, b) == 1)
        #expect(Spearman.correlation(a, b.map { -$0 }) == -1)
    }

    /// A constant sample has no ranking: NaN, as scipy (which also warns).
    @Test func constantSampleGivesNaN() {
        #expect(Spearman.correlation([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(Spearman.correlation([0, 0, 0, 0], [0, 0, 0, 0]).isNaN)
    }

    /// Quartiles interpolate like numpy.quantile: [3, 1, 4, 1, 5, 9, 2, 6] → 1.75, 3.5, 5.25.
    @Test func summarySkipsNaNAndInterpolatesQuartiles() {
        let s = SimilaritySummary([3, 1, .nan, 4, 1, 5, 9, 2, 6, .nan])
        #expect(s.count == 8 && s.skipped == 2)
        #expect(s.minimum == 1 && s.maximum == 9 && s.mean == 31.0 / 8)
        #expect(s.lowerQuartile == 1.75 && s.median == 3.5 && s.upperQuartile == 5.25)
        let empty = SimilaritySummary([.nan])
        #expect(empty.count == 0 && empty.skipped == 1 && empty.mean.isNaN && empty.median.isNaN)
    }
}
