import Foundation

/// A numeric axis: the interval it shows, where its labelled ticks go, and what the labels say.
/// Linear axes are ticked by a `TickLocator`; logarithmic ones by decades (with the other
/// integer multiples of each decade as unlabelled minor ticks), or 1-2-5 or 1-3 multiples of
/// them when the axis spans too few decades for enough labels.
struct Axis: Sendable, Equatable {
    var range: ClosedRange<Double>
    var ticks: [Double]
    var labels: [String]
    /// Unlabelled ticks between the labelled ones of a logarithmic axis.
    var minorTicks: [Double] = []
    var logarithmic = false

    /// Where `value` falls, from 0 at the lower end of the range to 1 at the upper end.
    func fraction(_ value: Double) -> Double {
        let (lower, upper, v) = logarithmic
            ? (log10(range.lowerBound), log10(range.upperBound), log10(value))
            : (range.lowerBound, range.upperBound, value)
        return upper > lower ? (v - lower) / (upper - lower) : 0.5
    }

    /// A linear axis over `data`. With `loose` the axis grows to the ticks that cover the data,
    /// so that the data ends on labelled values; otherwise it keeps `data` and ticks inside it.
    static func linear(_ data: ClosedRange<Double>, locator: TickLocator, loose: Bool, unit: String? = nil) -> Axis {
        let ticks = locator.ticks(for: data, loose: loose)
        let range = loose ? min(data.lowerBound, ticks.values.first!)...max(data.upperBound, ticks.values.last!) : data
        return Axis(range: range, ticks: ticks.values, labels: labels(ticks, unit: unit))
    }

    /// Decimals with thousands separators ("0.25", "60,000"); for ticks that would need more than
    /// six decimals or eight digits, a common power of ten ("1.5×10⁻⁹").
    static func labels(_ ticks: TickLocator.Ticks, unit: String?) -> [String] {
        let largest = ticks.values.map(abs).max() ?? 0
        guard ticks.decimals > 6 || largest >= 1e8 else {
            return ticks.values.map { NumberFormat.string($0, decimals: ticks.decimals, unit: unit) }
        }
        let exponent = Int(floor(log10(largest)))
        let mantissas = ticks.values.map { $0 / pow(10, Double(exponent)) }
        let decimals = mantissas.map(shortestDecimals).max() ?? 0
        let suffix = unit.map { "\u{00A0}" + $0 } ?? ""
        return mantissas.map { $0 == 0 ? "0" : NumberFormat.string($0, decimals: decimals) + "×" + powerLabel(exponent) + suffix }
    }

    /// A logarithmic axis over `data` (positive). Labels are decimals ("0.01", "0.5", "2,000"),
    /// or powers of ten throughout ("10⁻⁵") when the labelled decades reach 10⁻⁴ or 10⁵.
    static func logarithmic(_ data: ClosedRange<Double>, counts: ClosedRange<Int> = 4...8, unit: String? = nil) -> Axis {
        let (ticks, minor) = logTicks(in: data, counts: counts)
        let exponents = ticks.map { Int(log10($0).rounded()) }
        let decades = ticks.count > 1 && zip(ticks, exponents).allSatisfy { TickLocator.exact(1, $1) == $0 }
        let labels = decades && exponents.contains(where: { $0 <= -4 || $0 >= 5 })
            ? exponents.map { powerLabel($0) + (unit.map { "\u{00A0}" + $0 } ?? "") }
            : ticks.map { NumberFormat.string($0, decimals: shortestDecimals($0), unit: unit) }
        return Axis(range: data, ticks: ticks, labels: labels, minorTicks: minor, logarithmic: true)
    }

    /// Labelled and minor ticks inside `range`: the decades, every second (third, …) one when
    /// there are too many; with too few, 1, 2 and 5 or 1 and 3 times each decade; with too few of
    /// those, linear ticks.
    static func logTicks(in range: ClosedRange<Double>, counts: ClosedRange<Int> = 4...8) -> (ticks: [Double], minor: [Double]) {
        let exponents = Int(floor(log10(range.lowerBound)))...Int(ceil(log10(range.upperBound)))
        func multiples(_ mantissas: [Int]) -> [Double] {
            exponents.flatMap { k in mantissas.map { TickLocator.exact($0, k) } }.filter(range.contains)
        }
        let decades = multiples([1])
        if decades.count >= counts.lowerBound {
            let stride = (decades.count + counts.upperBound - 1) / counts.upperBound
            // Every `stride`-th decade, counted from 1 when 1 is on the axis.
            let anchor = decades.firstIndex { $0 == 1 }.map { $0 % stride } ?? 0
            let labelled = decades.enumerated().filter { ($0.offset - anchor) % stride == 0 }.map(\.element)
            let minor = stride == 1 ? multiples(Array(2...9)) : decades.filter { !labelled.contains($0) }
            return (labelled, minor)
        }
        for mantissas in [[1, 2, 5], [1, 3]] {
            let labelled = multiples(mantissas)
            if counts.contains(labelled.count) { return (labelled, multiples(Array(1...9)).filter { !labelled.contains($0) }) }
        }
        return (TickLocator(counts: counts).ticks(for: range, loose: false).values, [])
    }

    /// The fewest decimals that print `v` exactly (0.05 → 2, 2000 → 0).
    static func shortestDecimals(_ v: Double) -> Int {
        (0...12).first { abs((v * pow(10, Double($0))).rounded() / pow(10, Double($0)) - v) <= 1e-9 * abs(v) } ?? 12
    }

    /// "10⁻⁵".
    static func powerLabel(_ exponent: Int) -> String {
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                                    "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        return "10" + String(String(exponent).map { superscripts[$0]! })
    }
}
