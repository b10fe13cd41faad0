import Graphics

/// The state of pagination: pages so far, where the next block goes on the current one, the
/// anchors placed, and the figures waiting for the top of a page.
struct Flow {
    let style: Style
    let canvas: Canvas
    let figures: [String: any Figure]
    var pages = [Page()]
    var y: Double
    var headings: [Typesetter.Heading] = []
    /// The page (1-based) of every anchor placed.
    var anchors: [String: Int] = [:]
    /// Figures and tables that did not fit where they stood, in order, for the top of the next page.
    var pendingFloats: [FloatingBox] = []
    /// Items of figures placed at the top of a page while a block that started on the previous
    /// page was still open; they join their page's items when that block ends, so that the
    /// structure tree reads the block whole, then the figure.
    var heldItems: [(page: Int, items: [Placed])] = []
    /// False inside lists, quotes and tables: a page they open takes no waiting figures.
    var floatsAllowed = true
    /// The anchors of the headings still to come, in order (see `[Block].headings`).
    var headingAnchors: [String] = []

    init(style: Style, canvas: Canvas, figures: [String: any Figure]) {
        self.style = style
        self.canvas = canvas
        self.figures = figures
        y = style.content.y
    }

    var bottom: Double { style.content.maxY }
    var atTop: Bool { y <= style.content.y + 0.01 }
    var room: Double { bottom - y }
    var pageNumber: Int { pages.count }

    /// Starts a page; waiting figures go to its top when the flow may place them there.
    mutating func newPage() {
        releaseHeldItems()
        pages.append(Page())
        y = style.content.y
        if floatsAllowed { placePendingFloats() }
    }

    mutating func add(_ item: Placed) { pages[pages.count - 1].items.append(item) }

    /// Skips `gap` unless at the top of a page.
    mutating func space(_ gap: Double) {
        if !atTop { y = min(y + gap, bottom) }
    }

    /// A named destination for `anchor` at the current position; an anchor may be placed once
    /// (a float's, reserved when it started to wait, once more).
    mutating func destination(_ anchor: String, x: Double) throws(WriteupError) {
        guard anchors[anchor] ?? 0 == 0 else { throw WriteupError(description: "two elements have the anchor \"\(anchor)\"") }
        anchors[anchor] = pageNumber
        add(.destination(anchor, at: Point(x, y)))
    }

    /// Claims `anchor` for a float that may wait; its page is set when it is placed.
    mutating func reserve(_ anchor: String) throws(WriteupError) {
        guard anchors[anchor] == nil else { throw WriteupError(description: "two elements have the anchor \"\(anchor)\"") }
        anchors[anchor] = 0
    }

    // MARK: Blocks

    /// Places `blocks`; at the top level (`floating`) figures that do not fit wait for the next
    /// page while the text after them goes on.
    mutating func place(_ blocks: [Block], x: Double, width: Double, floating: Bool = false) throws(WriteupError) {
        for (i, block) in blocks.enumerated() {
            switch block {
            case .heading(let level, let inlines):
                if floating && level == 2 { flushFloatsBeforeChapter() }
                let next = i + 1 < blocks.count ? leadHeight(after: i, in: blocks, width: width) : 0
                try heading(level: level, inlines, x: x, width: width, keepWith: next)
            case .paragraph(let inlines):
                try paragraph(inlines, x: x, width: width)
            case .list(let ordered, let start, let items):
                try list(ordered: ordered, start: start, items: items, x: x, width: width)
            case .code(let text):
                code(text, x: x, width: width)
            case .quote(let inner):
                add(.begin(.element("BlockQuote")))
                try nested { flow throws(WriteupError) in try flow.place(inner, x: x + 14, width: width - 14) }
                add(.end(.element("BlockQuote")))
            case .figure(let source, let caption):
                try figure(source: source, caption: caption, x: x, width: width, floating: floating)
            case .table(let caption, let header, let rows, let alignments):
                try table(caption: caption, header: header, rows: rows, alignments: alignments, x: x, width: width, floating: floating)
            case .rule:
                space(4)
                add(.rule(from: Point(x, y), to: Point(x + width, y), width: 0.5, color: .grid))
                y += 8
            }
            if floating { releaseHeldItems() }
        }
    }

    /// Runs `body` with waiting figures kept off the pages it opens.
    mutating func nested(_ body: (inout Flow) throws(WriteupError) -> Void) throws(WriteupError) {
        let allowed = floatsAllowed
        floatsAllowed = false
        defer { floatsAllowed = allowed }
        try body(&self)
    }

    /// How much of what follows heading `index` must share its page: two lines of text, a
    /// table's caption, header and first row, or a figure when it fits (when it does not, it waits
    /// and the block after it follows the heading).
    func leadHeight(after index: Int, in blocks: [Block], width: Double) -> Double {
        var next = index + 1
        while next < blocks.count, case .figure(let source, let caption) = blocks[next], let figure = figures[source] {
            let box = FigureBox(figure: figure, source: source, caption: caption, width: width, flow: self)
            if pendingFloats.isEmpty && box.height <= room - 40 { return box.height }
            next += 1
        }
        guard next < blocks.count else { return 0 }
        switch blocks[next] {
        case .paragraph(let inlines):
            let layout = canvas.layout(StyledText(inlines).markup, font: style.body, width: width, markup: true,
                                       lineSpacing: style.bodyLineSpacing)
            return layout.height(of: 0..<min(2, layout.lines.count))
        case .table(let caption, let header, let rows, _):
            let table = TableLayout(canvas: canvas, header: header, rows: Array(rows.prefix(1)), width: width)
            return (caption.map { captionLayout($0, width: width).size.height + 4 } ?? 0) + table.headerHeight
                + (table.rowHeights.first ?? 0)
        case .list, .code, .quote: return 30
        case .heading, .rule, .figure: return 0
        }
    }

    mutating func heading(level: Int, _ inlines: [Inline], x: Double, width: Double, keepWith next: Double) throws(WriteupError) {
        let text = StyledText(inlines)
        let layout = canvas.layout(text.markup, font: style.heading(level), width: width, markup: true)
        space(level == 2 ? 16 : 10)
        if layout.size.height + 6 + next > room && !atTop { newPage() }
        let anchor = headingAnchors.isEmpty ? Block.slug(inlines.plainText) : headingAnchors.removeFirst()
        headings.append(.init(level: level, title: inlines.plainText, anchor: anchor, page: pageNumber))
        try destination(anchor, x: x)
        addText(layout, text: text, type: "H\(min(level, 6))", x: x)
        y += 6
    }

    /// A paragraph (`P`), its anchor a destination where its first line goes.
    mutating func paragraph(_ inlines: [Inline], x: Double, width: Double, hangingIndent: Double = 0) throws(WriteupError) {
        let text = StyledText(inlines)
        let layout = canvas.layout(text.markup, font: style.body, width: width, markup: true,
                                   lineSpacing: style.bodyLineSpacing, hangingIndent: hangingIndent)
        if let anchor = inlines.anchors.first {
            // The destination goes where the first line will be.
            if layout.height(of: 0..<min(2, layout.lines.count)) > room && !atTop { newPage() }
            try destination(anchor, x: x)
        }
        // Text that may continue on the next page goes in Spans, closed before the page's footer.
        let spans = !text.links.isEmpty || layout.size.height > room
        add(.begin(.element("P", textInSpans: spans)))
        paragraphLines(layout, text: text, x: x)
        add(.end(.element("P", textInSpans: spans)))
        y += style.paragraphGap
    }

    /// Places a paragraph's lines, breaking between pages with at least two lines on each side.
    mutating func paragraphLines(_ layout: TextLayout, text: StyledText?, x: Double) {
        var first = 0
        let count = layout.lines.count
        while first < count {
            var last = first
            while last < count && layout.height(of: first..<(last + 1)) <= room { last += 1 }
            if last == count {
                addLines(layout, first..<count, text: text, x: x, color: .text)
                return
            }
            if count - last < 2 { last = max(first + 1, count - 2) }   // no widow
            if last - first < 2 && !atTop {                             // no orphan
                newPage()
                continue
            }
            last = max(last, first + 1)
            addLines(layout, first..<last, text: text, x: x, color: .text)
            newPage()
            first = last
        }
    }

    /// A short text that is never split (a heading, a caption, a cell), tagged as `type`.
    mutating func addText(_ layout: TextLayout, text: StyledText?, type: String, x: Double, color: Color = .text) {
        let spans = !(text?.links.isEmpty ?? true)
        add(.begin(.element(type, textInSpans: spans)))
        addLines(layout, 0..<layout.lines.count, text: text, x: x, color: color)
        add(.end(.element(type, textInSpans: spans)))
    }

    mutating func addLines(_ layout: TextLayout, _ range: Range<Int>, text: StyledText?, x: Double, color: Color) {
        add(.lines(layout, range, at: Point(x, y), color: color, text: text))
        y += layout.height(of: range)
    }

    /// A list: `L` of `LI`s, each a label (`Lbl`) and a body (`LBody`). A list whose every item
    /// opens with an anchor is a list of references: no labels, a hanging indent.
    mutating func list(ordered: Bool, start: Int, items: [[Block]], x: Double, width: Double) throws(WriteupError) {
        let references = !items.isEmpty && items.allSatisfy { item in
            if case .paragraph(let inlines)? = item.first { inlines.anchors.first != nil } else { false }
        }
        add(.begin(.element("L")))
        for (n, item) in items.enumerated() {
            add(.begin(.element("LI")))
            if references {
                add(.begin(.element("LBody")))
                try nested { flow throws(WriteupError) in
                    for block in item {
                        if case .paragraph(let inlines) = block {
                            try flow.paragraph(inlines, x: x, width: width, hangingIndent: 22)
                        } else {
                            try flow.place([block], x: x + 22, width: width - 22)
                        }
                    }
                }
            } else {
                let marker = canvas.layout(ordered ? "\(start + n)." : "•", font: style.body, width: 16, alignment: .right)
                if room < marker.size.height * 2 { newPage() }
                add(.begin(.element("Lbl")))
                add(.lines(marker, 0..<1, at: Point(x, y), color: .text, text: nil))
                add(.end(.element("Lbl")))
                add(.begin(.element("LBody")))
                try nested { flow throws(WriteupError) in try flow.place(item, x: x + 22, width: width - 22) }
                y -= style.paragraphGap - 2
            }
            add(.end(.element("LBody")))
            add(.end(.element("LI")))
        }
        add(.end(.element("L")))
        y += style.paragraphGap
    }

    mutating func code(_ text: String, x: Double, width: Double) {
        let layout = canvas.layout(escapeXML(text), font: style.code, width: width - 16, markup: true)
        let spans = layout.size.height + 12 > room
        var first = 0
        var begun = false
        while first < layout.lines.count {
            var last = first
            while last < layout.lines.count && layout.height(of: first..<(last + 1)) + 12 <= room { last += 1 }
            if last == first {
                if atTop { last = first + 1 } else { newPage(); continue }
            }
            let height = layout.height(of: first..<last) + 12
            add(.fill(Rect(x, y, width, height), Color(hex: 0xF3F3F3)))
            if !begun { add(.begin(.element("Code", textInSpans: spans))); begun = true }
            add(.lines(layout, first..<last, at: Point(x + 8, y + 6), color: .text, text: nil))
            y += height
            if last < layout.lines.count { newPage() }
            first = last
        }
        if begun { add(.end(.element("Code", textInSpans: spans))) }
        y += style.paragraphGap
    }

    func captionLayout(_ caption: [Inline], width: Double) -> TextLayout {
        canvas.layout(StyledText(caption).markup, font: style.small, width: width, markup: true, lineSpacing: 1.1)
    }
}
