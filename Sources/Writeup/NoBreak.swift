/// Where a line must not break, in the PDF and in the HTML alike: between a number and its unit
/// ("99.19 %", "15 s", "2.4 MB"), between "Figure", "Table" or "section" and its number, inside a
/// short formula, a word with a mathematical sign ("±1/√fan-in", "16×5×5", "−8"), and inside a
/// short code span. Such pieces are marked unbreakable (Pango's `allow_breaks`, CSS
/// `white-space: nowrap`) and keep their ordinary spaces, so that the text found by search or
/// copied is the text written; longer pieces may still break, so that nothing overflows a column.
enum NoBreak {
    /// A piece of text and whether a line may break inside it.
    struct Piece: Equatable {
        var text: String
        var unbreakable: Bool
    }

    /// Longest piece that is kept on one line.
    static let longestUnbreakable = 24

    static let units = ["%", "‰", "°", "pt", "px", "mm", "cm", "s", "ms", "µs", "ns", "min", "h", "B", "kB", "KB", "MB", "GB",
                        "KiB", "MiB", "GiB", "Hz", "MHz", "GHz", "MFLOP", "GFLOP", "MFLOP/s", "GFLOP/s", "images/s"]
    /// A digit and the space after it before a unit; a name such as "Figure" and the space before a digit.
    nonisolated(unsafe) static let numberAndUnit = try! Regex(
        "(\\d) (?=(?:" + units.sorted { $0.count > $1.count }.map(regexEscaped).joined(separator: "|") + ")(?![\\p{L}\\p{N}]))")
    nonisolated(unsafe) static let nameAndNumber = try! Regex("\\b(Figures?|Tables?|[Ss]ections?|Fig\\.|Eq\\.) (?=\\d)")
    static let mathSigns: Set<Character> = ["±", "∓", "√", "×", "÷", "·", "≤", "≥", "≈", "≠", "−", "∞", "∑", "∏", "∫"]

    /// Stands for a space that must not break while `pieces` cuts the text at the others.
    static let glue: Character = "\u{E000}"

    /// `text` cut at its spaces into pieces, those that must stay on one line marked unbreakable.
    static func pieces(_ plain: String) -> [Piece] {
        let text = [numberAndUnit, nameAndNumber].reduce(plain.replacingOccurrences(of: String(glue), with: " ")) { text, regex in
            text.replacing(regex) { match in (match.output[1].substring ?? "") + String(glue) }
        }
        var pieces: [Piece] = []
        func append(_ piece: Substring, _ unbreakable: Bool) {
            if let last = pieces.last, last.unbreakable == unbreakable {
                pieces[pieces.count - 1].text += piece
            } else {
                pieces.append(Piece(text: String(piece), unbreakable: unbreakable))
            }
        }
        var rest = Substring(text)
        while !rest.isEmpty {
            let space = rest.prefix { $0 == " " || $0 == "\n" }
            if !space.isEmpty { append(space, false) }
            rest = rest.dropFirst(space.count)
            let word = rest.prefix { $0 != " " && $0 != "\n" }
            if !word.isEmpty {
                let formula = word.contains { mathSigns.contains($0) } && word.contains { $0.isLetter || $0.isNumber }
                let glued = word.contains(glue)
                let piece = glued ? Substring(word.replacingOccurrences(of: String(glue), with: " ")) : word
                append(piece, (formula || glued) && word.count <= longestUnbreakable)
            }
            rest = rest.dropFirst(word.count)
        }
        return pieces
    }
}

/// `text` with the regular-expression metacharacters escaped.
private func regexEscaped(_ text: String) -> String {
    text.map { "\\^$.|?*+()[]{}/".contains($0) ? "\\\($0)" : String($0) }.joined()
}
