import Foundation
import Testing
@testable import Charts

/// Tick values worked out by hand; compared with a relative tolerance of 1e-12, since 0.6 may
/// legitimately come out as the double nearest to 0.6 by another route.
struct AxisTests {
    func expectClose(_ actual: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        let worst = zip(actual, expected).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
        #expect(actual.count == expected.count && worst <= 1e-12,
                "got \(actual), expected \(expected) (worst relative difference \(worst))", sourceLocation: sourceLocation)
    }

    @Test func linearTicksStepBy125() {
        expectClose(Axis.linearTicks(in: 0...0.93, count: 5), [0, 0.2, 0.4, 0.6, 0.8])
        expectClose(Axis.linearTicks(in: -1.3...2.1, count: 6), [-1, 0, 1, 2])
        expectClose(Axis.linearTicks(in: -281.4...9661.4, count: 5), [0, 2000, 4000, 6000, 8000])
        expectClose(Axis.linearTicks(in: 0.0012...0.0047, count: 4), [0.002, 0.003, 0.004])
    }

    @Test func niceStepIsTheSmallest125StepThatFits() {
        #expect(Axis.niceStep(span: 0.93, count: 5).value == 0.2)
        #expect(Axis.niceStep(span: 9380, count: 5).value == 2000)
        #expect(Axis.niceStep(span: 10, count: 10).value == 1)
        #expect(Axis.niceStep(span: 10.01, count: 10).value == 2)
        #expect(Axis.niceStep(span: 3, count: 10, integer: true).value == 1)
    }

    @Test func integerTicksAreWholeNumbers() {
        expectClose(Axis.linearTicks(in: 0.73...10.27, count: 20, integer: true), (1...10).map(Double.init))
    }

    @Test func expandedAxisEndsOnTicks() {
        let accuracy = Axis.linear(92...99.7, count: 4, expanded: true)
        #expect(accuracy.range == 92...100)
        #expect(accuracy.labels == ["92", "94", "96", "98", "100"])
        let loss = Axis.linear(0.0123...0.25, count: 5, expanded: true)
        #expect(loss.range == 0...0.25)
        #expect(loss.labels == ["0.00", "0.05", "0.10", "0.15", "0.20", "0.25"])
    }

    @Test func logTicksAreDecades() {
        expectClose(Axis.logTicks(in: 0.01...2), [0.01, 0.1, 1])
        expectClose(Axis.logTicks(in: 0.003...45), [0.01, 0.1, 1, 10])
        // Ten decades, at most five ticks: every second one.
        expectClose(Axis.logTicks(in: 1e-6...1e3, count: 5), [1e-6, 1e-4, 1e-2, 1, 100])
    }

    @Test func shortLogRangesFallBackTo125ThenLinear() {
        expectClose(Axis.logTicks(in: 0.3...4), [0.5, 1, 2])
        expectClose(Axis.logTicks(in: 1.1...1.9, count: 4), [1.2, 1.4, 1.6, 1.8])
    }

    @Test func logLabelsAndMinorTicks() {
        let axis = Axis.logarithmic(0.01...2, count: 6)
        #expect(axis.labels == ["0.01", "0.1", "1"])
        // 2…9 × 0.01, 2…9 × 0.1 and 2.
        #expect(axis.minorTicks.count == 17)
        #expect(Axis.logarithmic(0.3...4, count: 6).labels == ["0.5", "1", "2"])
        #expect(Axis.logarithmic(1e-5...2, count: 6).labels == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"])
    }

    @Test func fractionIsLinearOrLogarithmic() {
        #expect(Axis.linear(0...10, count: 5).fraction(2.5) == 0.25)
        #expect(abs(Axis.logarithmic(0.01...1, count: 6).fraction(0.1) - 0.5) < 1e-12)
    }
}
