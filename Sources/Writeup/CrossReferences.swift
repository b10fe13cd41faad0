import Foundation

/// Numbered, linked references to figures, tables and sections. Templates write placeholders,
/// `⟦Figure:name⟧`, `⟦Table:name⟧`, `⟦Section:name⟧`, and `resolve` turns them into Markdown:
///
/// - In the element's own caption or heading a placeholder is its *label*: it gives the element
///   its anchor, `<a id="figure-name"></a>`, and, in a caption (a line opening with
///   `**⟦Figure:name⟧`), reads "Figure 3". A section's label stands anywhere in its heading line
///   (`## 2. Data ⟦Section:data⟧`) and shows nothing; the section's number is the one its heading
///   starts with.
/// - Anywhere else it is a *reference*, a link to the anchor: `[Figure 3](#figure-name)`,
///   `[Table 2](#table-name)`, `[section 2](#section-name)` ("Section 2" where a sentence starts).
///   Inside an image's alt text (`![⟦Figure:name⟧](…)`) it is the plain "Figure 3".
///
/// Figures and tables are numbered in the order of their labels; a name without a label comes
/// after them, in order of first mention (and its link then has no target, which the typesetter
/// reports).
///
/// Cited works need no placeholder: a citation is a link to its entry,
/// `[Zeiler & Fergus, 2013](#ref-zeiler2013)`, and the entry, an item of a list whose every item
/// opens with an anchor, `- <a id="ref-zeiler2013"></a>Zeiler, M. D., & Fergus, R. (2014). …`.
public enum CrossReferences {
    public enum Kind: String, Sendable, CaseIterable {
        case figure = "Figure", table = "Table", section = "Section"

        /// The prefix of the anchors of this kind: `figure-NAME`.
        var anchorPrefix: String { rawValue.lowercased() + "-" }
    }

    public static func placeholder(_ kind: Kind, _ id: String) -> String { "⟦\(kind.rawValue):\(id)⟧" }

    /// The anchor id an element of `kind` named `id` gets: `figure-samples`.
    public static func anchor(_ kind: Kind, _ id: String) -> String { kind.anchorPrefix + id }

    /// A placeholder found in the text.
    struct Mention {
        let range: Range<String.Index>
        let kind: Kind
        let name: String
        /// The element's own caption or heading.
        var isLabel = false
        var inImageAlt = false
    }

    public static func resolve(_ text: String) -> String {
        let mentions = find(in: text)
        // Numbers: figures and tables by label order, then by first mention; sections from headings.
        var numbers: [String: String] = [:], counts: [Kind: Int] = [:]
        for mention in mentions.filter(\.isLabel) + mentions where mention.kind != .section {
            let key = "\(mention.kind.rawValue):\(mention.name)"
            if numbers[key] == nil {
                counts[mention.kind, default: 0] += 1
                numbers[key] = String(counts[mention.kind]!)
            }
        }
        for mention in mentions where mention.kind == .section && mention.isLabel {
            numbers["Section:\(mention.name)"] = sectionNumber(text[line(around: mention.range.lowerBound, in: text)])
        }

        var result = "", position = text.startIndex
        for mention in mentions {
            result += text[position..<mention.range.lowerBound]
            position = mention.range.upperBound
            let anchor = anchor(mention.kind, mention.name)
            let number = numbers["\(mention.kind.rawValue):\(mention.name)"] ?? mention.name
            var words = "\(mention.kind.rawValue) \(number)"
            if mention.kind == .section && !startsSentence(before: mention.range.lowerBound, in: text) {
                words = "section \(number)"
            }
            if mention.isLabel {
                result += "<a id=\"\(anchor)\"></a>" + (mention.kind == .section ? "" : words)
            } else if mention.inImageAlt {
                result += words
            } else {
                result += "[\(words)](#\(anchor))"
            }
        }
        return result + text[position...]
    }

    /// Every placeholder of a known kind, with the first caption or heading mention of each
    /// element marked as its label.
    static func find(in text: String) -> [Mention] {
        var mentions: [Mention] = [], labelled = Set<String>()
        // Searched scalar by scalar: the brackets are single scalars, and Foundation's
        // range(of:) would bridge the whole text to UTF-16 for every placeholder.
        var rest = text.unicodeScalars[...]
        while let open = rest.firstIndex(of: "⟦"), let close = rest[open...].firstIndex(of: "⟧") {
            let after = text.unicodeScalars.index(after: close)
            defer { rest = text.unicodeScalars[after...] }
            let token = text[text.unicodeScalars.index(after: open)..<close]
            guard let colon = token.firstIndex(of: ":"), let kind = Kind(rawValue: String(token[..<colon])) else { continue }
            var mention = Mention(range: open..<after, kind: kind, name: String(token[token.index(after: colon)...]))
            let line = line(around: open, in: text)
            let before = text[line.lowerBound..<open]
            mention.inImageAlt = text.utf8[..<open].suffix(2).elementsEqual("![".utf8)
            let opensCaption = before.trimmingCharacters(in: .whitespaces) == "**"
            let inHeading = isHeading(text[line])
            if (kind == .section ? inHeading : opensCaption), labelled.insert("\(kind.rawValue):\(mention.name)").inserted {
                mention.isLabel = true
            }
            mentions.append(mention)
        }
        return mentions
    }

    /// Whether a line is a Markdown heading: one to six "#" after any spaces, then a space.
    static func isHeading(_ line: Substring) -> Bool {
        let content = line.drop { $0 == " " || $0 == "\t" }, hashes = content.prefix { $0 == "#" }
        return (1...6).contains(hashes.count) && content.dropFirst(hashes.count).first.map { $0.isWhitespace } == true
    }

    /// The range of the line that contains `index`, without its newline.
    static func line(around index: String.Index, in text: String) -> Range<String.Index> {
        let start = text[..<index].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let end = text[index...].firstIndex(of: "\n") ?? text.endIndex
        return start..<end
    }

    /// The number a heading line starts with ("## 8.1 Digit 0" → "8.1"), or else its title.
    static func sectionNumber(_ heading: Substring) -> String {
        let title = heading.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
        if let match = title.prefixMatch(of: /(\d+(?:\.\d+)*)\.?(?:\s|$)/) { return String(match.1) }
        return "“" + title.replacing(/\s*⟦[^⟧]*⟧/, with: "") + "”"
    }

    /// True when a sentence starts at `index`: at the start of a paragraph, a list item, a heading
    /// or a table cell, or after ".", "!" or "?" (but not after "e.g." and its kind), ignoring
    /// opening brackets, quotes and emphasis in between.
    static func startsSentence(before index: String.Index, in text: String) -> Bool {
        var i = index
        var sawNewline = false
        while i > text.startIndex {
            let previous = text.index(before: i)
            let c = text[previous]
            if c == "\n" {
                if sawNewline { return true }   // a blank line: a new paragraph
                let line = line(around: previous, in: text)
                let content = text[line].trimmingCharacters(in: .whitespaces)
                if content.isEmpty || isHeading(text[line]) || content.hasPrefix("|") { return true }
                sawNewline = true
            } else if " \t([\"“‘*_".contains(c) {
                // skip
            } else if "-+>|".contains(c) {
                // A list or quote marker (only spaces before it on its line) or a table cell opens here.
                let lineStart = text[..<previous].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
                return c == "|" || text[lineStart..<previous].allSatisfy { $0 == " " }
            } else if ".!?".contains(c) {
                let word = text[..<i].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" }).last.map(String.init) ?? ""
                return !["e.g.", "i.e.", "cf.", "vs.", "approx.", "resp.", "Fig.", "Eq."].contains(word)
            } else {
                return false
            }
            i = previous
        }
        return true
    }
}
