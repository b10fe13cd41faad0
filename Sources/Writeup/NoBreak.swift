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
    /// Units longest first, so that "MFLOP/s" is tried before "MFLOP".
    static let unitsLongestFirst = units.map(Array.init).sorted { $0.count > $1.count }
    static let names = ["Figure", "Figures", "Table", "Tables", "Section", "Sections", "section", "sections", "Fig.", "Eq."].map(Array.init)
    static let mathSigns: Set<Character> = ["±", "∓", "√", "×", "÷", "·", "≤", "≥", "≈", "≠", "−", "∞", "∑", "∏", "∫"]

    /// Stands for a space that must not break while `pieces` cuts the text at the others.
    static let glue: Character = "\u{E000}"

    /// `text` cut at its spaces into pieces, those that must stay on one line marked unbreakable.
    static func pieces(_ plain: String) -> [Piece] {
        let text = glued(plain.replacingOccurrences(of: String(glue), with: " "))
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

    /// `text` with `glue` for each space between a digit and a unit ("15 s", not "15 sheep") and
    /// between a name such as "Figure" and a digit. Scanned by hand: a `Regex` kept in a static
    /// would be built once and held for the life of the process, which LeakSanitizer reports.
    static func glued(_ text: String) -> String {
        var characters = Array(text)
        func isDigit(_ c: Character) -> Bool { c.unicodeScalars.count == 1 && c.unicodeScalars.first!.properties.numericType == .decimal }
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        func followed(at start: Int, by word: [Character]) -> Bool {
            start + word.count <= characters.count && Array(characters[start..<(start + word.count)]) == word
        }
        for i in characters.indices where characters[i] == " " && i > 0 && i + 1 < characters.count {
            let unit = isDigit(characters[i - 1]) && unitsLongestFirst.contains { unit in
                followed(at: i + 1, by: unit)
                    && (i + 1 + unit.count == characters.count
                        || !(characters[i + 1 + unit.count].isLetter || characters[i + 1 + unit.count].isNumber))
            }
            let name = isDigit(characters[i + 1]) && names.contains { name in
                i >= name.count && followed(at: i - name.count, by: name)
                    && (i == name.count || !isWordCharacter(characters[i - name.count - 1]))
            }
            if unit || name { characters[i] = glue }
        }
        return String(characters)
    }
}
