import Foundation

/// Figure and table numbers by order of first mention: templates write placeholders, and the
/// filled Markdown gets "Figure 1", "Figure 2", … in reading order, whatever the section files say.
public enum CrossReferences {
    public enum Kind: String, Sendable {
        case figure = "Figure", table = "Table"
    }

    public static func placeholder(_ kind: Kind, _ id: String) -> String { "⟦\(kind.rawValue):\(id)⟧" }

    public static func resolve(_ text: String) -> String {
        var numbers: [String: Int] = [:], counts: [String: Int] = [:]
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "⟦"), let close = rest[open.upperBound...].range(of: "⟧") {
            result += rest[..<open.lowerBound]
            let token = String(rest[open.upperBound..<close.lowerBound])
            let kind = token.split(separator: ":").first.map(String.init) ?? token
            if numbers[token] == nil {
                counts[kind, default: 0] += 1
                numbers[token] = counts[kind]
            }
            result += "\(kind) \(numbers[token]!)"
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
