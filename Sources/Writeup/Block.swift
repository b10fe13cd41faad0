/// A block of the report, as the typesetter and the HTML page see it.
indirect enum Block: Equatable {
    case heading(level: Int, [Inline])
    case paragraph([Inline])
    case list(ordered: Bool, start: Int, items: [[Block]])
    case code(String)
    case quote([Block])
    /// A paragraph that opens with an image: a numbered figure, captioned by the text after the
    /// image (or its alt text).
    case figure(source: String, caption: [Inline])
    /// A GFM table; the paragraph right above it, when it starts with "Table", is its caption.
    case table(caption: [Inline]?, header: [[Inline]], rows: [[[Inline]]], alignments: [Alignment])
    case rule

    enum Alignment: Equatable { case left, center, right }

    /// The anchor an element declares with `<a id="…"></a>` in its text (for a list item, in its
    /// first block); a figure without one is `figure-NAME` after its image `figures/NAME.svg`.
    var declaredAnchor: String? {
        switch self {
        case .heading(_, let inlines), .paragraph(let inlines): inlines.anchors.first
        case .figure(let source, let caption): Self.figureAnchor(source, caption: caption)
        case .table(let caption, _, _, _): caption?.anchors.first
        case .list, .code, .quote, .rule: nil
        }
    }

    /// The anchor its caption declares, else `figure-samples` for `figures/samples.svg`.
    static func figureAnchor(_ source: String, caption: [Inline]) -> String {
        if let declared = caption.anchors.first { return declared }
        let name = source.split(separator: "/").last.map(String.init) ?? source
        return CrossReferences.anchor(.figure, name.split(separator: ".").dropLast().joined(separator: ".").nilIfEmpty ?? name)
    }

    /// A heading's id when it declares none: its text in lower case, with runs of other
    /// characters than letters and digits as one hyphen ("8.1 Digit 0" → "8-1-digit-0").
    static func slug(_ text: String) -> String {
        var slug = "", hyphen = false
        for c in text.lowercased() {
            if c.isLetter || c.isNumber {
                if hyphen && !slug.isEmpty { slug.append("-") }
                slug.append(c)
                hyphen = false
            } else {
                hyphen = true
            }
        }
        return slug.isEmpty ? "section" : slug
    }
}

extension [Block] {
    /// Every heading, in document order, with its anchor: the one it declares, or its slug made
    /// unique with "-2", "-3", ….
    var headings: [(level: Int, inlines: [Inline], anchor: String)] {
        var result: [(level: Int, inlines: [Inline], anchor: String)] = [], used = Set<String>()
        func visit(_ blocks: [Block]) {
            for block in blocks {
                switch block {
                case .heading(let level, let inlines):
                    var anchor = inlines.anchors.first ?? Block.slug(inlines.plainText)
                    if inlines.anchors.isEmpty {
                        let slug = anchor
                        var n = 2
                        while used.contains(anchor) { anchor = "\(slug)-\(n)"; n += 1 }
                    }
                    used.insert(anchor)
                    result.append((level, inlines, anchor))
                case .list(_, _, let items): items.forEach(visit)
                case .quote(let inner): visit(inner)
                default: break
                }
            }
        }
        visit(self)
        return result
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
