import Graphics

/// The state of pagination: pages so far and where the next block goes on the current one.
struct Flow {
    let style: Style
    let canvas: Canvas
    let figures: [String: any Figure]
    var pages = [Page()]
    var y: Double
    var headings: [Typesetter.Heading] = []
    var figureCount = 0

    init(style: Style, canvas: Canvas, figures: [String: any Figure]) {
        self.style = style
        self.canvas = canvas
        self.figures = figures
        y = style.content.y
    }

    var bottom: Double { style.content.maxY }
    var atTop: Bool { y <= style.content.y + 0.01 }
    var room: Double { bottom - y }

    mutating func newPage() {
        pages.append(Page())
        y = style.content.y
    }

    mutating func add(_ item: Placed) { pages[pages.count - 1].items.append(item) }

    /// Skips `gap` unless at the top of a page.
    mutating func space(_ gap: Double) {
        if !atTop { y = min(y + gap, bottom) }
    }

    // MARK: Title and contents

    mutating func titleBlock(_ block: Typesetter.TitleBlock) {
        let width = style.content.width, x = style.content.x
        let title = canvas.layout(block.title, font: style.title, width: width, markup: true)
        addLines(title, 0..<title.lines.count, x: x, color: .text)
        y += 6
        let subtitle = canvas.layout(block.subtitle, font: style.subtitle, width: width, markup: true)
        addLines(subtitle, 0..<subtitle.lines.count, x: x, color: .muted)
        y += 10
        add(.rule(from: Point(x, y), to: Point(x + width, y), width: 0.8, color: .text))
        y += 18
    }

    mutating func contents(_ entries: [(level: Int, title: String)]) {
        let x = style.content.x, width = style.content.width
        let heading = canvas.layout("Contents", font: style.heading(2), width: width)
        addLines(heading, 0..<heading.lines.count, x: x, color: .text)
        y += 8
        for (index, entry) in entries.enumerated() {
            let font = entry.level == 2 ? Font.sans(11, bold: true) : Font.sans(10.5)
            let indent = entry.level == 2 ? 0.0 : 16.0
            let text = canvas.layout(escapeMarkup(entry.title), font: font, width: width - indent - 40, markup: true)
            if entry.level == 2 { y += 4 }
            if text.size.height > room { newPage() }
            add(.link(to: "heading-\(index)", .lines(text, 0..<text.lines.count, at: Point(x + indent, y), color: .text)))
            add(.link(to: "heading-\(index)", .pageNumber(ofHeading: index, rightEdge: Point(x + width, y), font: font)))
            y += text.size.height + 2.5
        }
    }

    // MARK: Blocks

    mutating func place(_ blocks: [Block], x: Double, width: Double) throws(WriteupError) {
        for (i, block) in blocks.enumerated() {
            switch block {
            case .heading(let level, let markup, let plain):
                let next = i + 1 < blocks.count ? leadHeight(of: blocks[i + 1], width: width) : 0
                heading(level: level, markup: markup, plain: plain, x: x, width: width, keepWith: next)
            case .paragraph(let markup):
                paragraph(canvas.layout(markup, font: style.body, width: width, markup: true, lineSpacing: style.bodyLineSpacing), x: x)
                y += style.paragraphGap
            case .list(let ordered, let start, let items):
                for (n, item) in items.enumerated() {
                    let marker = ordered ? "\(start + n)." : "•"
                    let markerLayout = canvas.layout(marker, font: style.body, width: 16, alignment: .right)
                    if room < markerLayout.size.height * 2 { newPage() }
                    add(.lines(markerLayout, 0..<1, at: Point(x, y), color: .text))
                    try place(item, x: x + 22, width: width - 22)
                    y -= style.paragraphGap - 2
                }
                y += style.paragraphGap
            case .code(let text):
                code(canvas.layout(escapeMarkup(text), font: style.code, width: width - 16, markup: true), x: x, width: width)
                y += style.paragraphGap
            case .quote(let inner):
                try place(inner, x: x + 14, width: width - 14)
            case .figure(let source, let caption):
                try figure(source: source, caption: caption, x: x, width: width)
            case .table(let caption, let header, let rows, let alignments):
                table(caption: caption, header: header, rows: rows, alignments: alignments, x: x, width: width)
            case .rule:
                space(4)
                add(.rule(from: Point(x, y), to: Point(x + width, y), width: 0.5, color: .grid))
                y += 8
            }
        }
    }

    /// How much of a block must follow a heading on the same page: two lines of text, or a
    /// figure or a table's caption, header and first row.
    func leadHeight(of block: Block, width: Double) -> Double {
        switch block {
        case .paragraph(let markup):
            let layout = canvas.layout(markup, font: style.body, width: width, markup: true, lineSpacing: style.bodyLineSpacing)
            return layout.height(of: 0..<min(2, layout.lines.count))
        case .figure(let source, let caption):
            guard let figure = figures[source] else { return 0 }
            return figureSize(figure, width: width).height + captionLayout(caption, width: width).size.height + 10
        case .table(let caption, let header, let rows, _):
            let table = TableLayout(canvas: canvas, header: header, rows: Array(rows.prefix(1)), width: width)
            return (caption.map { captionLayout($0, width: width).size.height + 4 } ?? 0) + table.headerHeight + (table.rowHeights.first ?? 0)
        case .list, .code, .quote: return 30
        case .heading, .rule: return 0
        }
    }

    mutating func heading(level: Int, markup: String, plain: String, x: Double, width: Double, keepWith next: Double) {
        let layout = canvas.layout(markup, font: style.heading(level), width: width, markup: true)
        space(level == 2 ? 16 : 10)
        if layout.size.height + 6 + next > room && !atTop { newPage() }
        let index = headings.count
        headings.append(.init(level: level, title: plain, page: pages.count))
        add(.destination("heading-\(index)", at: Point(x, y)))
        addLines(layout, 0..<layout.lines.count, x: x, color: .text)
        y += 6
    }

    /// Places a paragraph's lines, breaking between pages with at least two lines on each side.
    mutating func paragraph(_ layout: TextLayout, x: Double, color: Color = .text) {
        var first = 0
        let count = layout.lines.count
        while first < count {
            var last = first
            while last < count && layout.height(of: first..<(last + 1)) <= room { last += 1 }
            if last == count {
                addLines(layout, first..<count, x: x, color: color)
                return
            }
            if count - last < 2 { last = max(first + 1, count - 2) }   // no widow
            if last - first < 2 && !atTop {                             // no orphan
                newPage()
                continue
            }
            last = max(last, first + 1)
            addLines(layout, first..<last, x: x, color: color)
            newPage()
            first = last
        }
    }

    mutating func addLines(_ layout: TextLayout, _ range: Range<Int>, x: Double, color: Color) {
        add(.lines(layout, range, at: Point(x, y), color: color))
        y += layout.height(of: range)
    }

    mutating func code(_ layout: TextLayout, x: Double, width: Double) {
        var first = 0
        while first < layout.lines.count {
            var last = first
            while last < layout.lines.count && layout.height(of: first..<(last + 1)) + 12 <= room { last += 1 }
            if last == first {
                if atTop { last = first + 1 } else { newPage(); continue }
            }
            let height = layout.height(of: first..<last) + 12
            add(.fill(Rect(x, y, width, height), Color(hex: 0xF3F3F3)))
            add(.lines(layout, first..<last, at: Point(x + 8, y + 6), color: .text))
            y += height
            if last < layout.lines.count { newPage() }
            first = last
        }
    }

    func captionLayout(_ caption: String, width: Double) -> TextLayout {
        canvas.layout(caption, font: style.small, width: width, markup: true, lineSpacing: 1.1)
    }

    /// A figure scaled to fit the text width and the figure height limit.
    func figureSize(_ figure: any Figure, width: Double) -> Size {
        let scale = min(1, width / figure.size.width, style.figureMaxHeight / figure.size.height)
        return Size(figure.size.width * scale, figure.size.height * scale)
    }

    mutating func figure(source: String, caption: String, x: Double, width: Double) throws(WriteupError) {
        guard let figure = figures[source] else {
            throw WriteupError(description: "the Markdown shows \(source), but no such figure was drawn")
        }
        let size = figureSize(figure, width: width)
        let captionText = captionLayout(caption, width: width)
        space(4)
        if size.height + 8 + captionText.size.height > room && !atTop { newPage() }
        add(.figure(figure, Rect(x + (width - size.width) / 2, y, size.width, size.height)))
        y += size.height + 6
        addLines(captionText, 0..<captionText.lines.count, x: x, color: .text)
        y += style.paragraphGap + 6
    }

    mutating func table(caption: String?, header: [String], rows: [[String]], alignments: [Block.Alignment], x: Double, width: Double) {
        let table = TableLayout.fitting(canvas: canvas, header: header, rows: rows, width: width, alignments: alignments)
        let captionText = caption.map { captionLayout($0, width: width) }
        space(4)
        let captionHeight = (captionText?.size.height ?? 0) + 4
        let lead = captionHeight + table.headerHeight + table.rowHeights.prefix(3).reduce(0, +)
        let whole = captionHeight + table.headerHeight + table.rowHeights.reduce(0, +)
        // A table that does not fit breaks between rows, with at least three on this page; one that
        // would fit on a page is not started in the last 40 % of one.
        if whole > room && !atTop && (lead > room || (whole <= style.content.height && room < 0.4 * style.content.height)) {
            newPage()
        }
        if let captionText {
            addLines(captionText, 0..<captionText.lines.count, x: x, color: .text)
            y += 4
        }
        let left = x + (width - table.width) / 2
        add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
        placeHeader(table, left: left)
        for (r, height) in table.rowHeights.enumerated() {
            if height > room {
                add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
                newPage()
                add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
                placeHeader(table, left: left)
            }
            if r % 2 == 1 { add(.fill(Rect(left, y, table.width, height), Color(hex: 0xF5F5F5))) }
            placeCells(table.rows[r], table: table, left: left)
            y += height
        }
        add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
        y += style.paragraphGap + 6
    }

    private mutating func placeHeader(_ table: TableLayout, left: Double) {
        guard !table.header.isEmpty else { return }
        placeCells(table.header, table: table, left: left)
        y += table.headerHeight
        add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.5, color: .text))
    }

    private mutating func placeCells(_ cells: [TextLayout], table: TableLayout, left: Double) {
        var cellX = left
        for (c, cell) in cells.enumerated() {
            add(.lines(cell, 0..<cell.lines.count, at: Point(cellX + TableLayout.padding, y + TableLayout.padding / 2), color: .text))
            cellX += table.columnWidths[c]
        }
    }
}
