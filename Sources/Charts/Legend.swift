import Graphics
/// The key of a chart: a swatch and a name for each series, stacked in a framed box (inside a
/// plot) or in one row (above it).
struct Legend: Sendable {
    enum Swatch: Sendable, Equatable {
        case line(Color, dashed: Bool, marker: Bool)
        case box(Color)
    }

    struct Entry: Sendable, Equatable {
        var name: String
        var swatch: Swatch
    }

    var entries: [Entry]
    /// One row without a frame instead of a framed column.
    var horizontal = false

    static let font = Font.sans(7.5)
    private static let padding = 4.0, swatchWidth = 16.0, swatchGap = 4.0, entryGap = 10.0

    /// A legend at its place: its frame, and each entry's swatch and name.
    struct Placed: Sendable {
        var frame: Rect
        var framed: Bool
        var swatches: [(rect: Rect, swatch: Swatch)]
        var labels: [PlacedText]
    }

    func size(on canvas: Canvas) -> Size {
        place(at: Point(0, 0), on: canvas).frame.size
    }

    func place(at origin: Point, on canvas: Canvas) -> Placed {
        let padding = horizontal ? 0 : Self.padding
        var swatches: [(rect: Rect, swatch: Swatch)] = [], labels: [PlacedText] = []
        var x = origin.x + padding, y = origin.y + padding, width = 0.0
        for entry in entries {
            let height = canvas.measure(entry.name, font: Self.font).height
            swatches.append((Rect(x, y, Self.swatchWidth, height), entry.swatch))
            let label = PlacedText(entry.name, font: Self.font, at: Point(x + Self.swatchWidth + Self.swatchGap, y), on: canvas)
            labels.append(label)
            width = max(width, label.frame.maxX - origin.x)
            if horizontal { x = label.frame.maxX + Self.entryGap } else { y = label.frame.maxY + 1 }
        }
        let bottom = labels.map(\.frame.maxY).max() ?? origin.y
        return Placed(frame: Rect(origin.x, origin.y, width + padding, bottom - origin.y + padding),
                      framed: !horizontal, swatches: swatches, labels: labels)
    }
}

extension Legend.Placed {
    func draw(on canvas: Canvas) {
        if framed {
            canvas.fill(frame, Color(1, 1, 1, alpha: 0.9))
            canvas.stroke(frame, Color(hex: 0xBBBBBB), width: 0.5)
        }
        for (rect, swatch) in swatches {
            let middle = rect.center.y
            switch swatch {
            case .line(let color, let dashed, let marker):
                canvas.strokeLine([Point(rect.x, middle), Point(rect.maxX, middle)], color, width: 1.4, dash: dashed ? LineChart.dash : [])
                if marker { LineChart.marker(at: rect.center, color, on: canvas) }
            case .box(let color):
                canvas.fill(Rect(rect.x + 3, middle - 4, rect.width - 6, 8), color)
            }
        }
        for label in labels { label.draw(on: canvas) }
    }
}
