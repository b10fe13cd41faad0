import Graphics

extension Flow {
    /// The title page's text: title (`H1`), subtitle and metadata line (`P`s), a rule, the abstract.
    mutating func titleBlock(_ block: TitleBlock) throws(WriteupError) {
        let width = style.content.width, x = style.content.x
        let title = StyledText(block.title)
        addText(canvas.layout(title.markup, font: style.title, width: width, markup: true), text: title, type: "H1", x: x)
        if let subtitle = block.subtitle {
            y += 6
            let text = StyledText(subtitle)
            addText(canvas.layout(text.markup, font: style.subtitle, width: width, markup: true),
                    text: text, type: "P", x: x, color: .muted)
        }
        if let metadata = block.metadata {
            y += 6
            let text = StyledText(metadata)
            addText(canvas.layout(text.markup, font: style.small, width: width, markup: true), text: text, type: "P", x: x, color: .muted)
        }
        y += 10
        add(.rule(from: Point(x, y), to: Point(x + width, y), width: 0.8, color: .text))
        y += 14
        if !block.abstract.isEmpty {
            try place(block.abstract, x: x, width: width)
            y += 8
        }
    }

    /// The contents (`TOC`): an entry (`TOCI`) per heading, title and page number one link.
    mutating func contents(_ entries: [Typesetter.Heading]) {
        let x = style.content.x, width = style.content.width
        let heading = canvas.layout("Contents", font: style.heading(2), width: width)
        let fonts = entries.map { $0.level == 2 ? Font.sans(11, bold: true) : Font.sans(10.5) }
        let indents = entries.map { $0.level == 2 ? 0.0 : 16.0 }
        let texts = entries.indices.map {
            canvas.layout(escapeXML(entries[$0].title), font: fonts[$0], width: width - indents[$0] - 40, markup: true)
        }
        // The contents stay on one page when they fit on one: a page for a last entry or two is no help.
        let whole = heading.size.height + 8
            + entries.indices.reduce(0) { $0 + texts[$1].size.height + 2.5 + (entries[$1].level == 2 ? 4 : 0) }
        if heading.size.height + 60 > room || (whole > room && whole <= style.content.height) { newPage() }
        addText(heading, text: nil, type: "H2", x: x)
        y += 8
        add(.begin(.element("TOC")))
        for (i, entry) in entries.enumerated() {
            let (text, font, indent) = (texts[i], fonts[i], indents[i])
            if entry.level == 2 { y += 4 }
            if text.size.height > room { newPage() }
            add(.begin(.element("TOCI")))
            add(.begin(.link(.destination(entry.anchor))))
            add(.lines(text, 0..<text.lines.count, at: Point(x + indent, y), color: .text, text: nil))
            add(.pageNumber(ofAnchor: entry.anchor, rightEdge: Point(x + width, y), font: font))
            add(.end(.link(.destination(entry.anchor))))
            add(.end(.element("TOCI")))
            y += text.size.height + 2.5
        }
        add(.end(.element("TOC")))
    }
}
