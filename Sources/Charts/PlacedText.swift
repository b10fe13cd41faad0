import Graphics
/// A piece of text measured and given its place before anything is drawn, so that a figure can
/// size itself around its labels and tests can check that no label leaves the figure or covers another.
struct PlacedText: Sendable, Equatable {
    var text: String
    var font: Font
    var color: Color
    /// The box the text covers on the figure; for rotated text, the box after rotation.
    var frame: Rect
    /// Reads bottom to top, like a y-axis label.
    var rotated: Bool
    /// The width the text wraps at, when it is longer than the room it was given.
    var wrapWidth: Double?
    var alignment: TextAlignment

    /// `text` placed so that its `alignment` side is at `point.x` and its `anchor` at `point.y`
    /// (the baseline of rotated text is taken to be its top). Text wider than `maxWidth` wraps.
    init(_ text: String, font: Font, color: Color = .text, at point: Point, alignment: TextAlignment = .left,
         anchor: Canvas.Anchor = .top, rotated: Bool = false, maxWidth: Double? = nil, on canvas: Canvas) {
        var layout = canvas.metrics(text, font: font)
        if let maxWidth, layout.size.width > maxWidth {
            wrapWidth = maxWidth
            layout = canvas.metrics(text, font: font, width: maxWidth, alignment: alignment)
        }
        let width = wrapWidth ?? layout.size.width
        let size = rotated ? Size(layout.size.height, width) : Size(width, layout.size.height)
        let x = switch alignment {
        case .left: point.x
        case .center: point.x - size.width / 2
        case .right: point.x - size.width
        }
        let y = switch anchor {
        case .top: point.y
        case .middle: point.y - size.height / 2
        case .baseline: point.y - (rotated ? 0 : layout.firstBaseline)
        case .bottom: point.y - size.height
        }
        self.text = text
        self.font = font
        self.color = color
        self.frame = Rect(x, y, size.width, size.height)
        self.rotated = rotated
        self.alignment = alignment
    }

    func draw(on canvas: Canvas) {
        let layout = canvas.layout(text, font: font, width: wrapWidth, alignment: alignment)
        canvas.setColor(color)
        guard rotated else {
            layout.draw(on: canvas, at: Point(frame.x, frame.y))
            return
        }
        canvas.isolated {
            canvas.translate(frame.x, frame.maxY)
            canvas.rotate(-Double.pi / 2)
            layout.draw(on: canvas, at: Point(0, 0))
        }
    }
}
