import Testing
@testable import Charts

/// Labels read as the report's tables: thousands separators, a true minus, fixed decimals, a
/// no-break space before units (none before °).
struct NumberFormatTests {
    @Test func thousandsMinusAndDecimals() {
        #expect(NumberFormat.string(60_000, decimals: 0) == "60,000")
        #expect(NumberFormat.string(1_234_567.891, decimals: 2) == "1,234,567.89")
        #expect(NumberFormat.string(-0.25, decimals: 2) == "\u{2212}0.25")
        #expect(NumberFormat.string(-1500, decimals: 0) == "\u{2212}1,500")
        #expect(NumberFormat.string(999, decimals: 0) == "999")
        // A value that rounds to zero has no sign.
        #expect(NumberFormat.string(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.string(0.5, decimals: 1) == "0.5")
    }

    @Test func units() {
        #expect(NumberFormat.string(98.5, decimals: 1, unit: "%") == "98.5\u{00A0}%")
        #expect(NumberFormat.string(90, decimals: 0, unit: "°") == "90°")
        #expect(NumberFormat.plusMinus(-0.4213, decimals: 2) == "±0.42")
    }

    @Test func significantDecimals() {
        #expect(NumberFormat.decimals(forSignificant: 2, of: 0.0421) == 3)
        #expect(NumberFormat.decimals(forSignificant: 2, of: 42.1) == 0)
        #expect(NumberFormat.decimals(forSignificant: 3, of: 6.38) == 2)
    }
}
