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
        anchor = Block.figure(source: source, caption: caption).declaredAnchor ?? Block.figureAnchor(source)
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

extension Flow {
    /// Places a figure here, or, when `floating` and it does not fit (or others are waiting),
    /// sends it to the top of the next page while the text after it goes on.
    mutating func figure(source: String, caption: [Inline], x: Double, width: Double, floating: Bool) throws(WriteupError) {
        guard let figure = figures[source] else {
            throw WriteupError(description: "the Markdown shows \(source), but no such figure was drawn")
        }
        let box = FigureBox(figure: figure, source: source, caption: caption, width: width, flow: self)
        guard anchors[box.anchor] == nil else { throw WriteupError(description: "two elements have the anchor \"\(box.anchor)\"") }
        anchors[box.anchor] = pageNumber   // the page it waits for, if it waits, is set when it is placed
        space(4)
        if floating && (!pendingFigures.isEmpty || (box.height > room && !atTop)) {
            pendingFigures.append(box)
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
            .lines(box.captionLayout, 0..<box.captionLayout.lines.count, at: Point(x, y + box.size.height + 6), color: .text, text: box.captionText),
            .end(.element("Caption", textInSpans: spans)),
        ]
        y += box.height
        return items
    }

    /// Waiting figures, in order, at the top of the new page while they fit (the first always).
    mutating func placePendingFigures() {
        var placed: [Placed] = []
        while let box = pendingFigures.first, box.height <= room || atTop {
            placed += items(of: box, x: style.content.x, width: style.content.width)
            pendingFigures.removeFirst()
        }
        if !placed.isEmpty { heldItems.append((pageNumber, placed)) }
    }

    /// Adds the held figures to their pages, after what the block that held them placed there.
    mutating func releaseHeldItems() {
        for (page, items) in heldItems { pages[page - 1].items += items }
        heldItems = []
    }

    /// Before a chapter: waiting figures may follow into it by a page, not further; if more
    /// than a page of them waits, they get pages of their own first.
    mutating func flushFiguresIfTooMany() {
        while pendingFigures.map(\.height).reduce(0, +) > style.content.height { newPage() }
    }

    /// At the end: every waiting figure placed.
    mutating func flushFigures() {
        while !pendingFigures.isEmpty { newPage() }
        releaseHeldItems()
    }
}
