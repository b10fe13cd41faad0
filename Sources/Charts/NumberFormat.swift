import Foundation

/// Numbers as the report's tables print them, for tick labels, values on bars and colour bars:
/// a comma between thousands ("60,000"), a true minus sign ("−0.25", as matplotlib prints it), a
/// fixed number of decimals, and a unit after a no-break space ("98.5 %"), or straight after the
/// number for degrees ("90°").
public enum NumberFormat {
    public static func string(_ value: Double, decimals: Int, unit: String? = nil) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : value > 0 ? "∞" : "−∞" }
        let fixed = String(format: "%.\(max(decimals, 0))f", abs(value))
        // A value that rounds to zero is printed without a sign.
        let negative = value < 0 && fixed.contains(where: { $0 != "0" && $0 != "." })
        let parts = fixed.split(separator: ".", maxSplits: 1)
        var whole = ""
        for (i, digit) in parts[0].enumerated() {
            if i > 0 && (parts[0].count - i) % 3 == 0 { whole += "," }
            whole.append(digit)
        }
        let number = (negative ? "\u{2212}" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
        guard let unit, !unit.isEmpty else { return number }
        return unit == "°" ? number + unit : number + "\u{00A0}" + unit
    }

    /// "±0.42": a symmetric limit, as printed under a panel on its own scale.
    public static func plusMinus(_ limit: Double, decimals: Int, unit: String? = nil) -> String {
        "±" + string(abs(limit), decimals: decimals, unit: unit)
    }

    /// Decimal places that show `value` to `significant` significant digits (at least 0).
    public static func decimals(forSignificant significant: Int, of value: Double) -> Int {
        guard value != 0, value.isFinite else { return 0 }
        return max(0, significant - 1 - Int(floor(log10(abs(value)))))
    }
}
