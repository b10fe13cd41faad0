import Graphics

/// A figure with its caption, sized for the text width, as one box that never splits.
struct FigureBox {
    let figure: any Figure
    let anchor: String
    let caption: [Inline]
    let captionText: StyledText
    let captionLayout: TextLayout
    let size: Size

    init(figure: any Figure, source: String, caption: [Inline], width: Double, flow: Flow) {
        self.figure = figure
        anchor = Block.figureAnchor(source, caption: caption)
        self.caption = caption
        captionText = StyledText(caption)
        captionLayout = flow.captionLayout(caption, width: width)
        let scale = min(1, width / figure.size.width, flow.style.figureMaxHeight / figure.size.height)
        size = Size(figure.size.width * scale, figure.size.height * scale)
    }

    /// From the top of the figure to the end of the gap after its caption.
    var height: Double { size.height + 6 + captionLayout.size.height + Self.gapAfter }
    static let gapAfter = 13.0
}

/// What may wait for the top of the next page: a figure, or a table short enough for one page.
enum FloatingBox {
    case figure(FigureBox)
    case table(TableBox)

    var height: Double {
        switch self {
        case .figure(let box): box.height
        case .table(let box): box.height
        }
    }
}

/// A table laid out with its caption, placed at once or when it has waited.
struct TableBox {
    let layout: TableLayout
    let caption: [Inline]?
    let captionLines: TextLayout?
    /// The width it was laid out for (it is centred in it), and the space below it.
    let width: Double, gapAfter: Double

    /// The caption and header with the first three rows (which must start on one page), and all of it.
    var lead: Double { captionHeight + layout.headerHeight + layout.rowHeights.prefix(3).reduce(0, +) }
    var whole: Double { captionHeight + layout.headerHeight + layout.rowHeights.reduce(0, +) }
    var height: Double { 4 + whole + gapAfter }
    private var captionHeight: Double { (captionLines?.size.height ?? 0) + 4 }
}

extension Flow {
    /// Places a figure here, or, when `floating` and it does not fit (or others are waiting),
    /// sends it to the top of the next page while the text after it goes on.
    mutating func figure(source: String, caption: [Inline], x: Double, width: Double, floating: Bool) throws(WriteupError) {
        guard let figure = figures[source] else {
            throw WriteupError(description: "the Markdown shows \(source), but no such figure was drawn")
        }
        let box = FigureBox(figure: figure, source: source, caption: caption, width: width, flow: self)
        try reserve(box.anchor)
        space(4)
        if floating && (!pendingFloats.isEmpty || (box.height > room && !atTop)) {
            pendingFloats.append(.figure(box))
            return
        }
        if box.height > room && !atTop { newPage() }
        for item in items(of: box, x: x, width: width) { add(item) }
    }

    /// What a placed figure draws at the current position: its destination, the figure (a
    /// `Figure` element whose alternative text is the caption) and the caption after it.
    mutating func items(of box: FigureBox, x: Double, width: Double) -> [Placed] {
        anchors[box.anchor] = pageNumber
        let spans = !box.captionText.links.isEmpty
        let rect = Rect(x + (width - box.size.width) / 2, y, box.size.width, box.size.height)
        let items: [Placed] = [
            .destination(box.anchor, at: Point(x, y)),
            .begin(.figure(alternativeText: box.caption.plainText)),
            .figure(box.figure, rect),
            .end(.figure(alternativeText: box.caption.plainText)),
            .begin(.element("Caption", textInSpans: spans)),
            .lines(box.captionLayout, 0..<box.captionLayout.lines.count, at: Point(x, y + box.size.height + 6),
                   color: .text, text: box.captionText),
            .end(.element("Caption", textInSpans: spans)),
        ]
        y += box.height
        return items
    }

    /// Waiting floats, in order, at the top of the new page while they fit (the first always).
    mutating func placePendingFloats() {
        let first = pages[pages.count - 1].items.count
        while let float = pendingFloats.first, float.height <= room || atTop {
            pendingFloats.removeFirst()
            switch float {
            case .figure(let box):
                for item in items(of: box, x: style.content.x, width: style.content.width) { add(item) }
            case .table(let box):
                // It fits, so it places without a page break and cannot fail on its anchor, reserved when it waited.
                space(4)
                try? place(box, x: style.content.x)
            }
        }
        // Held back until the block that is open ends (see `heldItems`).
        let placed = Array(pages[pages.count - 1].items[first...])
        pages[pages.count - 1].items.removeLast(placed.count)
        if !placed.isEmpty { heldItems.append((pageNumber, placed)) }
    }

    /// Adds the held floats to their pages, after what the block that held them placed there.
    mutating func releaseHeldItems() {
        for (page, items) in heldItems { pages[page - 1].items += items }
        heldItems = []
    }

    /// Before a chapter: when floats wait and the page is more than three quarters full, they go
    /// first, on the next page; on an emptier page the chapter starts and they follow at the top
    /// of the next page, as in LaTeX.
    mutating func flushFloatsBeforeChapter() {
        guard !pendingFloats.isEmpty else { return }
        if room < style.content.height / 4 || pendingFloats.map(\.height).reduce(0, +) > style.content.height {
            while !pendingFloats.isEmpty { newPage() }
            releaseHeldItems()
        }
    }

    /// At the end: every waiting float placed.
    mutating func flushFloats() {
        while !pendingFloats.isEmpty { newPage() }
        releaseHeldItems()
    }
}
