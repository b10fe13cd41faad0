import Foundation
import Graphics
import Testing
@testable import Charts

/// Logarithmic axes and the labels of extreme linear ones; tolerances 1e-12 relative.
struct AxisTests {
    func expectClose(_ actual: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        let worst = zip(actual, expected).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
        #expect(actual.count == expected.count && worst <= 1e-12,
                "got \(actual), expected \(expected) (worst relative difference \(worst))", sourceLocation: sourceLocation)
    }

    /// Four or more decades: the decades, with 2…9 times each as minor ticks.
    @Test func logAxesAreDecadesWithMinorTicks() {
        let counts = Axis.logarithmic(1...1131)
        expectClose(counts.ticks, [1, 10, 100, 1000])
        #expect(counts.labels == ["1", "10", "100", "1,000"])
        #expect(counts.minorTicks.count == 24)   // 2…9 times 1, 10 and 100
        let loss = Axis.logarithmic(5e-5...3)
        #expect(loss.labels == ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"])
    }

    /// More decades than labels: every second one, counted from 1; the others minor.
    @Test func manyDecadesAreThinned() {
        let axis = Axis.logarithmic(1e-6...1e3)
        expectClose(axis.ticks, [1e-6, 1e-4, 1e-2, 1, 100])
        expectClose(axis.minorTicks, [1e-5, 1e-3, 0.1, 10, 1000])
    }

    /// Too few decades for four labels: 1-2-5 multiples, or 1-3, or linear ticks.
    @Test func shortLogRanges() {
        expectClose(Axis.logarithmic(0.01...2).ticks, [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2])
        #expect(Axis.logarithmic(0.01...2).labels == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2"])
        expectClose(Axis.logarithmic(0.01...5).ticks, [0.01, 0.03, 0.1, 0.3, 1, 3])
        expectClose(Axis.logarithmic(1.1...1.9).ticks, [1.1, 1.3, 1.5, 1.7, 1.9])
    }

    @Test func extremeLinearTicksShareAPowerOfTen() {
        let tiny = Axis.linear(1e-9...3e-9, locator: TickLocator(), loose: false)
        #expect(tiny.labels == ["1.0×10⁻⁹", "1.5×10⁻⁹", "2.0×10⁻⁹", "2.5×10⁻⁹", "3.0×10⁻⁹"])
        let shift = Axis.linear(-8.48...8.48, locator: TickLocator(), loose: false, unit: "rows")
        #expect(shift.labels == ["\u{2212}8\u{00A0}rows", "\u{2212}4\u{00A0}rows", "0\u{00A0}rows", "4\u{00A0}rows", "8\u{00A0}rows"])
    }

    @Test func fractionIsLinearOrLogarithmic() {
        #expect(Axis.linear(0...10, locator: TickLocator(), loose: false).fraction(2.5) == 0.25)
        #expect(abs(Axis.logarithmic(0.01...1).fraction(0.1) - 0.5) < 1e-12)
    }
}

extension AxisTests {
    /// A series' band (the interquartile range of what its line is the mean of) is inside the
    /// y axis, though it reaches past every point of the line.
    @Test func bandsAreTakenIntoTheAxis() {
        let chart = LineChart(xLabel: "fraction of pixels", yLabel: "p(class)", series: [
            .init(name: "mean", points: [Point(0, 0.5), Point(0.5, 0.55), Point(1, 0.6)], band: [0.1...0.9, 0.2...0.92, 0.3...0.95]),
        ])
        let layout = Canvas.measuring { chart.layout(on: $0) }
        #expect(layout.y.range.lowerBound <= 0.1 && layout.y.range.upperBound >= 0.95, "y axis \(layout.y.range)")
        #expect(chart.recording().marks.contains { $0.role == DrawingRecord.Role.data })
    }
}
