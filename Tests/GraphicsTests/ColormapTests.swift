import Testing
@testable import Graphics

struct ColormapTests {
    /// The limit is the value at the 99th percentile of the sorted non-zero magnitudes, index ⌊0.99 n⌋.
    @Test func percentileLimitSkipsZerosAndTakesMagnitudes() {
        let values: [Float] = [0, 0, -3] + (1...99).map(Float.init)   // 100 non-zero magnitudes: 1…99 and 3
        // Sorted: 1, 2, 3, 3, 4, …, 99; index 99 is 99, index ⌊0.5 · 100⌋ = 50 is 50.
        #expect(Colormap.percentileLimit(values) == 99)
        #expect(Colormap.percentileLimit(values, percentile: 0.5) == 50)
        #expect(Colormap.percentileLimit([0, 0]) == 1)
    }

    @Test func symmetricLimitIsTheLargestMagnitude() {
        #expect(Colormap.symmetricLimit([0.5, -2, 1]) == 2)
        #expect(Colormap.symmetricLimit([0, 0]) == 1)
    }

    @Test func nonFiniteValuesAreGrey() {
        #expect(Colormap.diverging(limit: 1).color(.nan) == Color(0.5, 0.5, 0.5))
        #expect(Colormap.viridis(minimum: 0, maximum: 1).color(.infinity) == Color(0.5, 0.5, 0.5))
    }
}
