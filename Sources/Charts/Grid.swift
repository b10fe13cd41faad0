import Graphics

/// Figures in rows and columns, each centred in a cell as large as the largest part, so that
/// panels line up across rows (unlike rows of different widths, each centred on its own).
public struct Grid: Figure {
    public let parts: [any Figure]
    public let columns: Int
    public let spacing: Size
    public let size: Size

    public init(_ parts: [any Figure], columns: Int, spacing: Size = Size(12, 10)) {
        precondition(columns > 0 && !parts.isEmpty, "a grid needs parts and at least one column")
        self.parts = parts
        self.columns = columns
        self.spacing = spacing
        let cell = Self.cell(parts)
        let used = min(columns, parts.count), rows = (parts.count + columns - 1) / columns
        size = Size(Double(used) * cell.width + Double(used - 1) * spacing.width,
                    Double(rows) * cell.height + Double(rows - 1) * spacing.height)
    }

    private static func cell(_ parts: [any Figure]) -> Size {
        Size(parts.map(\.size.width).max() ?? 0, parts.map(\.size.height).max() ?? 0)
    }

    /// Each part's frame, in the order of `parts`.
    var frames: [Rect] {
        let cell = Self.cell(parts)
        return parts.enumerated().map { index, part in
            let (row, column) = index.quotientAndRemainder(dividingBy: columns)
            let x = Double(column) * (cell.width + spacing.width), y = Double(row) * (cell.height + spacing.height)
            return Rect(x + (cell.width - part.size.width) / 2, y + (cell.height - part.size.height) / 2, part.size.width, part.size.height)
        }
    }

    public func draw(on canvas: Canvas) {
        for (part, frame) in zip(parts, frames) {
            canvas.isolated {
                canvas.translate(frame.x, frame.y)
                part.draw(on: canvas)
            }
        }
    }
}
