import Foundation
import Writeup

/// Number formats of the writeup.
enum Formatted {
    /// 0.99283 → "99.28 %" (with a no-break space, as in every unit here).
    static func percent(_ fraction: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f\u{00A0}%%", 100 * fraction)
    }

    /// 60000 → "60,000".
    static func integer(_ n: Int) -> String {
        let digits = String(abs(n))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped += "," }
            grouped.append(c)
        }
        return (n < 0 ? "-" : "") + grouped
    }

    /// −0.03 with a minus sign, not a hyphen; a value that rounds to zero has no sign.
    static func decimal(_ x: Double, _ digits: Int) -> String {
        let text = String(format: "%.\(digits)f", x)
        guard text.hasPrefix("-") else { return text }
        return text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : "−" + text.dropFirst()
    }

    /// 93.4 → "1 min 33 s"; 4.2 → "4.2 s".
    static func seconds(_ s: Double) -> String {
        let whole = Int(s.rounded())
        return s < 60 ? String(format: "%.1f\u{00A0}s", s) : String(format: "%d\u{00A0}min %02d\u{00A0}s", whole / 60, whole % 60)
    }

    /// 4 → "four", 16 → "sixteen", 22 → "22": small numbers of things in words, as prose writes them.
    static func count(_ n: Int) -> String {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
        return words.indices.contains(n) ? words[n] : integer(n)
    }

    /// A probability to two decimals, or "below 0.01" rather than "0.00".
    static func probability(_ p: Double) -> String { p < 0.005 ? "below 0.01" : decimal(p, 2) }

    /// 2 → "second", 4 → "fourth" (up to tenth; "12th" beyond).
    static func ordinal(_ n: Int) -> String {
        let words = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
        return words.indices.contains(n) ? words[n] : "\(n)th"
    }

    /// (4, "image") → "four images", (1, "image") → "one image".
    static func count(_ n: Int, _ noun: String) -> String {
        "\(count(n)) \(noun)\(n == 1 ? "" : "s")"
    }

    /// "both digits" → "Both digits".
    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// References to the figures named, each a link: "Figure 3, Figure 4 and Figure 5".
    static func figures(_ names: [String]) -> String {
        list(names.map { CrossReferences.placeholder(.figure, $0) })
    }

    /// ["a", "b", "c"] → "a, b and c".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
