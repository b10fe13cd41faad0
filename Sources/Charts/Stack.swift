import Graphics
/// Figures drawn one below another, each centred: composes grids of different cell sizes into one figure.
public struct Stack: Figure {
    public let parts: [any Figure]
    public let spacing: Double

    public init(_ parts: [any Figure], spacing: Double = 10) {
        self.parts = parts
        self.spacing = spacing
    }

    public var size: Size {
        Size(parts.map(\.size.width).max() ?? 0,
             parts.map(\.size.height).reduce(0, +) + spacing * Double(max(parts.count - 1, 0)))
    }

    public func draw(on canvas: Canvas) {
        let width = size.width
        var y = 0.0
        for part in parts {
            canvas.isolated {
                canvas.translate((width - part.size.width) / 2, y)
                part.draw(on: canvas)
            }
            y += part.size.height + spacing
        }
    }
}
