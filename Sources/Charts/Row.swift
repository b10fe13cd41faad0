import Graphics

/// Figures drawn side by side, each centred vertically: with `Stack`, a grid of charts.
public struct Row: Figure {
    public let parts: [any Figure]
    public let spacing: Double

    public init(_ parts: [any Figure], spacing: Double = 10) {
        self.parts = parts
        self.spacing = spacing
    }

    public var size: Size {
        Size(parts.map(\.size.width).reduce(0, +) + spacing * Double(max(parts.count - 1, 0)),
             parts.map(\.size.height).max() ?? 0)
    }

    public func draw(on canvas: Canvas) {
        let height = size.height
        var x = 0.0
        for part in parts {
            canvas.isolated {
                canvas.translate(x, (height - part.size.height) / 2)
                part.draw(on: canvas)
            }
            x += part.size.width + spacing
        }
    }
}
