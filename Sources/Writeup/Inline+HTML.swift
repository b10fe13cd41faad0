import Graphics

extension [Inline] {
    /// The content as HTML. Anchors become empty elements with their id, except `blockAnchor`,
    /// which the enclosing element carries.
    func html(blockAnchor: String? = nil) -> String {
        map { inline in
            switch inline {
            case .text(let text):
                NoBreak.pieces(text).map { piece in
                    piece.unbreakable ? "<span class=\"nobr\">\(escapeXML(piece.text))</span>" : escapeXML(piece.text)
                }.joined()
            case .code(let code):
                code.count <= NoBreak.longestUnbreakable
                    ? "<code class=\"nobr\">\(escapeXML(code))</code>"
                    : "<code>\(escapeXML(code))</code>"
            case .emphasis(let inner): "<em>\(inner.html(blockAnchor: blockAnchor))</em>"
            case .strong(let inner): "<strong>\(inner.html(blockAnchor: blockAnchor))</strong>"
            case .strikethrough(let inner): "<del>\(inner.html(blockAnchor: blockAnchor))</del>"
            case .link(let destination, let inner): "<a href=\"\(escapeXML(destination))\">\(inner.html(blockAnchor: blockAnchor))</a>"
            case .anchor(let id): id == blockAnchor ? "" : "<span id=\"\(escapeXML(id))\"></span>"
            case .lineBreak: "<br>\n"
            }
        }.joined()
    }
}
