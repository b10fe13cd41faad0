import Foundation
import Testing
@testable import Charts

/// Known ranges → known ticks (worked out from the algorithm's scores by hand for the first ones,
/// the others as the axes of the report need them), compared with a relative tolerance of 1e-12;
/// and, over many random ranges, the guarantees: 4–8 ticks, evenly spaced, inside or covering
/// the range as asked, each exactly the decimal its label prints.
struct TickLocatorTests {
    func expectTicks(_ range: ClosedRange<Double>, loose: Bool = false, as values: TickLocator.Values = .real, _ expected: [Double],
                     decimals: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let ticks = TickLocator(values: values).ticks(for: range, loose: loose)
        let worst = zip(ticks.values, expected).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
        #expect(ticks.values.count == expected.count && worst <= 1e-12,
                "\(range): got \(ticks.values), expected \(expected) (worst relative difference \(worst))", sourceLocation: sourceLocation)
        if let decimals { #expect(ticks.decimals == decimals, "decimals \(ticks.decimals)", sourceLocation: sourceLocation) }
    }

    /// The invariance chart's shifts (−8…+8 rows, 3 % padding): 4 is a nice step here.
    @Test func symmetricRangeStepsBy4() { expectTicks(-8.48...8.48, [-8, -4, 0, 4, 8], decimals: 0) }

    @Test func scaleFactors() { expectTicks(0.576...1.424, [0.6, 0.8, 1.0, 1.2, 1.4], decimals: 1) }

    @Test func anglesStepByQuarterTurns() {
        expectTicks(-10.8...370.8, as: .degrees, [0, 90, 180, 270, 360])
        expectTicks(0...360, as: .degrees, [0, 90, 180, 270, 360])
        expectTicks(0...180, as: .degrees, [0, 45, 90, 135, 180])
        expectTicks(-30...30, as: .degrees, [-30, -15, 0, 15, 30])
        expectTicks(0...720, as: .degrees, [0, 180, 360, 540, 720])
    }

    @Test func looseAxesEndOnTicks() {
        expectTicks(92...99.7, loose: true, [92, 94, 96, 98, 100], decimals: 0)
        expectTicks(0.0123...0.25, loose: true, [0, 0.05, 0.1, 0.15, 0.2, 0.25], decimals: 2)
        expectTicks(0...60_000, loose: true, [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000])
        expectTicks(0...6131, loose: true, [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000])
    }

    @Test func insideAxesKeepTheirRange() {
        expectTicks(-1.3...2.1, [-1, 0, 1, 2])
        expectTicks(-0.48...0.48, [-0.4, -0.2, 0, 0.2, 0.4], decimals: 1)
        expectTicks(0...6.38, [0, 2, 4, 6])
        expectTicks(-281.4...9661.4, [0, 3000, 6000, 9000])
    }

    @Test func integerTicksAreWholeNumbers() {
        expectTicks(0.73...10.27, as: .integer, [2, 4, 6, 8, 10])
        expectTicks(0.85...4.15, as: .integer, [1, 2, 3, 4])
    }

    /// Whole numbers cannot tick a range much narrower than 1: any values do, rather than none.
    @Test func narrowIntegerRanges() {
        expectTicks(0.0025...0.0139, as: .integer, [0.0025, 0.005, 0.0075, 0.01, 0.0125])
        expectTicks(0.97...2.03, as: .integer, [1, 2])
    }

    /// A range of one value gets ticks around it; decimals are those of the finest tick.
    @Test func degenerateRanges() {
        expectTicks(1...1, loose: true, [0.9, 0.95, 1, 1.05, 1.1], decimals: 2)
        expectTicks(0...0, loose: true, [-1, -0.5, 0, 0.5, 1], decimals: 1)
    }

    @Test(arguments: [false, true])
    func guaranteesHoldOnRandomRanges(_ loose: Bool) {
        var generator = SplitMix64(seed: 16)
        var failures: [String] = []
        for _ in 0..<2000 {
            let scale = pow(10, Double.random(in: -6...7, using: &generator))
            let a = Double.random(in: -1...1, using: &generator) * scale
            let b = a + Double.random(in: 0.01...3, using: &generator) * scale
            let ticks = TickLocator().ticks(for: a...b, loose: loose)
            let v = ticks.values
            let gaps = zip(v, v.dropFirst()).map { $1 - $0 }
            let slack = 1e-9 * max(abs(a), abs(b), b - a)
            let placed = loose ? v.first! <= a + slack && v.last! >= b - slack : v.first! >= a - slack && v.last! <= b + slack
            let even = gaps.allSatisfy { abs($0 - ticks.step) <= 1e-9 * ticks.step }
            let exact = v.allSatisfy { Double(String(format: "%.\(ticks.decimals)f", $0)) == $0 }
            if !(4...8).contains(v.count) || !placed || !even || !exact {
                failures.append("\(a)...\(b): \(v) step \(ticks.step) decimals \(ticks.decimals)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) ranges failed, first: \(failures.first ?? "")")
    }
}

/// SplitMix64, for reproducible random ranges.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
