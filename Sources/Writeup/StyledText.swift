import Graphics

/// Inline content as Pango markup, with the UTF-8 byte ranges its links cover in the text Pango
/// lays out (the markup without its tags), so that each link can be drawn as a PDF link.
struct StyledText {
    private(set) var markup = ""
    /// UTF-8 length of the laid-out text so far.
    private var length = 0
    private(set) var links: [(bytes: Range<Int>, target: LinkTarget)] = []

    static let linkColor = Color(hex: 0x1F4E8C)
    /// Code's size relative to the text around it.
    static let codeScale = 0.9

    init(_ inlines: [Inline]) {
        append(inlines)
    }

    /// The byte offsets where links start and end, where a line must be cut to draw them apart.
    var boundaries: [Int] { links.flatMap { [$0.bytes.lowerBound, $0.bytes.upperBound] } }

    /// The link that covers the bytes `range`, if any.
    func link(covering range: Range<Int>) -> LinkTarget? {
        links.first { $0.bytes.lowerBound <= range.lowerBound && range.upperBound <= $0.bytes.upperBound && !range.isEmpty }?.target
    }

    private mutating func append(_ text: String, unbreakable: Bool = false) {
        markup += unbreakable ? "<span allow_breaks=\"false\">\(escapeXML(text))</span>" : escapeXML(text)
        length += text.utf8.count
    }

    private mutating func append(_ inlines: [Inline]) {
        for inline in inlines {
            switch inline {
            case .text(let text):
                for piece in NoBreak.pieces(text) { append(piece.text, unbreakable: piece.unbreakable) }
            case .code(let code):
                markup += "<span font_family=\"DejaVu Sans Mono\" size=\"\(Int(Self.codeScale * 100))%\">"
                append(code, unbreakable: code.count <= NoBreak.longestUnbreakable)
                markup += "</span>"
            case .emphasis(let inner): wrap("i", inner)
            case .strong(let inner): wrap("b", inner)
            case .strikethrough(let inner): wrap("s", inner)
            case .link(let destination, let inner):
                let start = length
                markup += "<span color=\"#1F4E8C\">"
                append(inner)
                markup += "</span>"
                let (anchor, uri) = linkTarget(destination)
                if length > start { links.append((start..<length, anchor.map(LinkTarget.destination) ?? .uri(uri))) }
            case .anchor: break
            case .lineBreak: append("\n")
            }
        }
    }

    private mutating func wrap(_ tag: String, _ inner: [Inline]) {
        markup += "<\(tag)>"
        append(inner)
        markup += "</\(tag)>"
    }
}
