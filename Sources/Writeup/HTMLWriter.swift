import Graphics

/// Writes blocks as the page's HTML, giving headings, figures, tables and anchored paragraphs
/// the same ids as the PDF's named destinations.
struct HTMLWriter {
    /// The anchors of the headings still to come, in order (see `[Block].headings`).
    var headingAnchors: [String]
    var svgs: SVGInliner
    private(set) var html = ""

    init(headingAnchors: [String], svgs: SVGInliner) {
        self.headingAnchors = headingAnchors
        self.svgs = svgs
    }

    mutating func titleBlock(_ block: TitleBlock) {
        guard !block.title.isEmpty || !block.abstract.isEmpty else { return }
        html += "<header class=\"title-block\">\n<h1>\(block.title.html())</h1>\n"
        if let subtitle = block.subtitle { html += "<p class=\"subtitle\">\(subtitle.html())</p>\n" }
        if let metadata = block.metadata { html += "<p class=\"meta\">\(metadata.html())</p>\n" }
        if !block.abstract.isEmpty {
            html += "<section class=\"abstract\" aria-label=\"Abstract\">\n"
            blocks(block.abstract)
            html += "</section>\n"
        }
        html += "</header>\n"
    }

    mutating func blocks(_ blocks: [Block]) {
        for block in blocks { self.block(block) }
    }

    private mutating func block(_ block: Block) {
        switch block {
        case .heading(let level, let inlines):
            let anchor = headingAnchors.isEmpty ? Block.slug(inlines.plainText) : headingAnchors.removeFirst()
            let id = escapeXML(anchor), tag = "h\(min(level, 6))"
            html += "<\(tag) id=\"\(id)\">\(inlines.html(blockAnchor: anchor))"
                + "<a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\"></a></\(tag)>\n"
        case .paragraph(let inlines):
            html += "<p\(idAttribute(inlines.anchors.first))>\(inlines.html(blockAnchor: inlines.anchors.first))</p>\n"
        case .list(let ordered, let start, let items):
            let references = !items.isEmpty && items.allSatisfy { item in
                if case .paragraph(let inlines)? = item.first { inlines.anchors.first != nil } else { false }
            }
            let tag = ordered ? "ol" : "ul"
            html += "<\(tag)\(ordered && start != 1 ? " start=\"\(start)\"" : "")\(references ? " class=\"references\"" : "")>\n"
            for item in items {
                // A one-paragraph item is written tight; its anchor goes on the item.
                if item.count == 1, case .paragraph(let inlines) = item[0] {
                    html += "<li\(idAttribute(inlines.anchors.first))>\(inlines.html(blockAnchor: inlines.anchors.first))</li>\n"
                } else {
                    html += "<li>\n"
                    blocks(item)
                    html += "</li>\n"
                }
            }
            html += "</\(tag)>\n"
        case .code(let text):
            html += "<pre><code>\(escapeXML(text))</code></pre>\n"
        case .quote(let inner):
            html += "<blockquote>\n"
            blocks(inner)
            html += "</blockquote>\n"
        case .figure(let source, let caption):
            figure(source: source, caption: caption, anchor: Block.figureAnchor(source, caption: caption))
        case .table(let caption, let header, let rows, let alignments):
            table(caption: caption, header: header, rows: rows, alignments: alignments)
        case .rule:
            html += "<hr>\n"
        }
    }

    private func idAttribute(_ anchor: String?) -> String {
        anchor.map { " id=\"\(escapeXML($0))\"" } ?? ""
    }

    /// A `<figure>` named by its caption, the SVG on a light card so that it reads in both schemes.
    private mutating func figure(source: String, caption: [Inline], anchor: String) {
        let id = escapeXML(anchor)
        html += "<figure id=\"\(id)\" aria-labelledby=\"\(id)-caption\">\n<div class=\"card\">\n"
        if let svg = svgs.inline(source) {
            html += svg
        } else {
            html += "<p class=\"missing\">(\(escapeXML(source)) was not drawn)</p>"
        }
        html += "\n</div>\n<figcaption id=\"\(id)-caption\">\(caption.html(blockAnchor: anchor))</figcaption>\n</figure>\n"
    }

    /// A table in a box of its own that scrolls sideways when it is wider than the page, in a
    /// `<figure>` whose caption names both.
    private mutating func table(caption: [Inline]?, header: [[Inline]], rows: [[[Inline]]], alignments: [Block.Alignment]) {
        let anchor = caption?.anchors.first
        let captionID = anchor.map { escapeXML($0) + "-caption" }
        let labelled = captionID.map { " aria-labelledby=\"\($0)\"" } ?? ""
        html += "<figure class=\"table\"\(idAttribute(anchor))\(labelled)>\n"
        if let caption {
            html += "<figcaption\(captionID.map { " id=\"\($0)\"" } ?? "")>\(caption.html(blockAnchor: anchor))</figcaption>\n"
        }
        html += "<div class=\"scroll\" tabindex=\"0\" role=\"region\"\(labelled.isEmpty ? " aria-label=\"Table\"" : labelled)>\n"
            + "<table\(labelled)>\n"
        func cell(_ tag: String, _ inlines: [Inline], _ column: Int) -> String {
            let alignment = column < alignments.count ? alignments[column] : .left
            let style = switch alignment { case .left: ""; case .center: " class=\"c\""; case .right: " class=\"r\"" }
            return "<\(tag)\(style)>\(inlines.html())</\(tag)>"
        }
        if !header.isEmpty {
            html += "<thead><tr>" + header.enumerated().map { cell("th", $1, $0) }.joined() + "</tr></thead>\n"
        }
        html += "<tbody>\n"
        for row in rows { html += "<tr>" + row.enumerated().map { cell("td", $1, $0) }.joined() + "</tr>\n" }
        html += "</tbody>\n</table>\n</div>\n</figure>\n"
    }
}
