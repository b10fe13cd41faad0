import Graphics
import Foundation

/// A numeric axis: the interval it shows, where its labelled ticks go, and what the labels say.
/// Linear axes step by 1, 2 or 5 times a power of ten; logarithmic axes by decades.
struct Axis: Sendable, Equatable {
    var range: ClosedRange<Double>
    var ticks: [Double]
    var labels: [String]
    /// Unlabelled ticks at 2…9 times each decade of a logarithmic axis.
    var minorTicks: [Double] = []
    var logarithmic = false

    /// Where `value` falls, from 0 at the lower end of the range to 1 at the upper end.
    func fraction(_ value: Double) -> Double {
        let (lower, upper, v) = logarithmic
            ? (log10(range.lowerBound), log10(range.upperBound), log10(value))
            : (range.lowerBound, range.upperBound, value)
        return (v - lower) / (upper - lower)
    }

    /// A linear axis over `data` with at most about `count` intervals between ticks. With `expanded`
    /// the range grows outwards to the neighbouring ticks, so that the data ends on labelled values.
    static func linear(_ data: ClosedRange<Double>, count: Int, integer: Bool = false, expanded: Bool = false) -> Axis {
        let step = niceStep(span: data.upperBound - data.lowerBound, count: count, integer: integer)
        let first = rounded(data.lowerBound / step.value, expanded ? .down : .up)
        let last = rounded(data.upperBound / step.value, expanded ? .up : .down)
        let ticks = (first...max(first, last)).map(step.multiple)
        let range = expanded ? ticks.first!...ticks.last! : data
        let inside = ticks.filter(range.contains)
        return Axis(range: range, ticks: inside, labels: inside.map { String(format: "%.\(step.decimals)f", $0) })
    }

    /// A logarithmic axis over `data` (positive), ticked by `logTicks`. Its labels are decimals
    /// ("0.01", "0.5", "20"), or, when the decades reach 10⁻⁴ or 10⁵, powers of ten throughout.
    static func logarithmic(_ data: ClosedRange<Double>, count: Int) -> Axis {
        let ticks = logTicks(in: data, count: count)
        let exponents = ticks.map { Int(log10($0).rounded()) }
        let decades = ticks.count > 1 && zip(ticks, exponents).allSatisfy { powerOfTen($1) == $0 }
        let minor = decades ? decadeRange(data).flatMap { k in (2...9).map { Double($0) * powerOfTen(k) } }.filter(data.contains) : []
        let labels = decades && exponents.contains(where: { abs($0) >= 4 }) ? exponents.map(powerLabel) : ticks.map(decimalLabel)
        return Axis(range: data, ticks: ticks, labels: labels, minorTicks: minor, logarithmic: true)
    }

    /// Multiples of the 1-2-5 step that cuts `range` into at most about `count` parts, inside `range`.
    static func linearTicks(in range: ClosedRange<Double>, count: Int, integer: Bool = false) -> [Double] {
        linear(range, count: count, integer: integer).ticks
    }

    /// Ticks for a logarithmic axis: the powers of ten inside `range` (every second or third one
    /// when there are more than `count`); for ranges spanning less than two of them, 1, 2 and 5
    /// times the powers of ten; for ranges spanning not even two of those, linear ticks.
    static func logTicks(in range: ClosedRange<Double>, count: Int = 6) -> [Double] {
        let decades = decadeRange(range).map(powerOfTen).filter(range.contains)
        if decades.count >= 2 {
            let stride = Int((Double(decades.count) / Double(max(count, 1))).rounded(.up))
            return decades.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        let oneTwoFive = decadeRange(range).flatMap { k in [1.0, 2, 5].map { $0 * powerOfTen(k) } }.filter(range.contains)
        return oneTwoFive.count >= 2 ? oneTwoFive : linearTicks(in: range, count: count)
    }

    /// A step of `mantissa` (1, 2 or 5) times ten to the `exponent`, with exact decimal multiples.
    struct Step {
        var mantissa: Int
        var exponent: Int
        var value: Double { Double(mantissa) * powerOfTen(exponent) }
        /// Decimal places that its multiples need.
        var decimals: Int { max(0, -exponent) }
        /// `i` times the step, rounded to `decimals` so that 3 × 0.2 reads 0.6, not 0.6000000000000001.
        func multiple(_ i: Int) -> Double {
            exponent < 0 ? Double(i * mantissa) / powerOfTen(-exponent) : Double(i * mantissa) * powerOfTen(exponent)
        }
    }

    /// The smallest 1-2-5 step that cuts `span` into at most `count` parts (at least 1 if `integer`).
    static func niceStep(span: Double, count: Int, integer: Bool = false) -> Step {
        let raw = span > 0 ? span / Double(max(count, 1)) : 1
        var exponent = Int(log10(raw).rounded(.down))
        if integer { exponent = max(exponent, 0) }
        for mantissa in [1, 2, 5] where Double(mantissa) * powerOfTen(exponent) >= raw * (1 - 1e-9) {
            return Step(mantissa: mantissa, exponent: exponent)
        }
        return Step(mantissa: 1, exponent: exponent + 1)
    }

    /// 10^k, computed so that negative powers are the doubles nearest to 0.1, 0.01, …
    static func powerOfTen(_ k: Int) -> Double { k < 0 ? 1 / pow(10, Double(-k)) : pow(10, Double(k)) }

    /// The exponents of the powers of ten that bracket `range`.
    private static func decadeRange(_ range: ClosedRange<Double>) -> ClosedRange<Int> {
        Int(log10(range.lowerBound).rounded(.down))...Int(log10(range.upperBound).rounded(.up))
    }

    /// `x` rounded by `rule`, or to the nearest integer when it is only rounding error away from
    /// one (0.6 / 0.2 is 2.9999999999999996).
    private static func rounded(_ x: Double, _ rule: FloatingPointRoundingRule) -> Int {
        let nearest = x.rounded()
        return Int(abs(x - nearest) < 1e-9 * max(1, abs(x)) ? nearest : x.rounded(rule))
    }

    /// The shortest decimal that reads back as `v`: "0.01", "0.5", "20".
    private static func decimalLabel(_ v: Double) -> String {
        let labels = (0...8).lazy.map { String(format: "%.\($0)f", v) }
        return labels.first { abs(Double($0)! - v) <= 1e-9 * abs(v) } ?? String(v)
    }

    /// "10⁻⁵".
    private static func powerLabel(_ exponent: Int) -> String {
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                                    "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        return "10" + String(String(exponent).map { superscripts[$0]! })
    }
}
