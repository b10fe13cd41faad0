import Graphics

/// Draws paginated pages in order, opening and closing the structure elements the pages hold.
/// Cairo 1.16 marks content only in elements without children, so text of an element that holds
/// links, or whose text continues on the next page, is drawn in `Span` and `Link` children, and a
/// `Span` is closed before the page's running head and number, which then belong to no element.
struct PageDrawing {
    let canvas: Canvas
    let layout: Typesetter.Layout
    let style: Style
    /// The elements open, innermost last.
    private var open: [Structure] = []
    private var spanOpen = false

    init(canvas: Canvas, layout: Typesetter.Layout, style: Style) {
        self.canvas = canvas
        self.layout = layout
        self.style = style
    }

    mutating func draw(_ page: Page, number: Int, of count: Int, runningHead: String) {
        for item in page.items { draw(item) }
        closeSpan()
        let footer = Point(style.pageSize.width / 2, style.pageSize.height - style.margins.bottom / 2)
        canvas.text("\(number) / \(count)", at: footer, font: style.small, color: .muted, alignment: .center, anchor: .middle)
        if number > 1 {
            let y = style.margins.top / 2
            canvas.text(runningHead, at: Point(style.content.maxX, y), font: style.small, color: .muted, alignment: .right, anchor: .middle)
            canvas.strokeLine([Point(style.content.x, y + 8), Point(style.content.maxX, y + 8)], .grid, width: 0.5)
        }
    }

    private mutating func draw(_ item: Placed) {
        switch item {
        case .begin(let structure):
            closeSpan()
            switch structure {
            case .element(let type, _): canvas.beginStructure(type)
            case .figure(let alternativeText): canvas.beginFigure(alternativeText: alternativeText)
            case .link(let target): canvas.beginLink(target)
            }
            open.append(structure)
        case .end(let structure):
            closeSpan()
            switch structure {
            case .element(let type, _): canvas.endStructure(type)
            case .figure: canvas.endStructure("Figure")
            case .link: canvas.endLink()
            }
            open.removeLast()
        case .lines(let text, let range, let at, let color, let styled):
            guard case .element(_, textInSpans: true)? = open.last else {
                canvas.setColor(color)
                text.drawLines(range, on: canvas, at: at)
                return
            }
            text.drawLines(range, on: canvas, at: at, splittingAt: styled?.boundaries ?? []) { bytes, draw in
                if let target = styled?.link(covering: bytes) {
                    closeSpan()
                    canvas.beginLink(target)
                    canvas.setColor(StyledText.linkColor)
                    draw()
                    canvas.endLink()
                } else {
                    openSpan()
                    canvas.setColor(color)
                    draw()
                }
            }
        case .figure(let figure, let rect):
            canvas.isolated {
                canvas.translate(rect.x, rect.y)
                canvas.scale(rect.width / figure.size.width, rect.height / figure.size.height)
                canvas.clip(Rect(0, 0, figure.size.width, figure.size.height))
                figure.draw(on: canvas)
            }
        case .fill(let rect, let color):
            canvas.fill(rect, color)
        case .rule(let a, let b, let width, let color):
            canvas.strokeLine([a, b], color, width: width)
        case .destination(let name, let at):
            canvas.destination(name, at: at)
        case .pageNumber(let anchor, let edge, let font):
            canvas.text("\(layout.anchors[anchor] ?? 0)", at: edge, font: font, alignment: .right)
        }
    }

    private mutating func openSpan() {
        guard !spanOpen else { return }
        canvas.beginStructure("Span")
        spanOpen = true
    }

    private mutating func closeSpan() {
        guard spanOpen else { return }
        canvas.endStructure("Span")
        spanOpen = false
    }
}
