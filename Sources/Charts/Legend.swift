import Graphics

/// A key: a swatch and a name for each series, category or mark. Charts place their own (in a
/// framed column where no data is, or in a row above the plot); as a figure of its own it is the
/// one legend of a grid of panels (see `Keyed`), or a categorical key for a label map.
public struct Legend: Figure, Sendable {
    public enum Swatch: Sendable, Equatable {
        case line(Color, dashed: Bool = false, marker: Bool = false)
        case box(Color)
        /// An error bar, such as the interquartile range over a bar.
        case whisker(Color)
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var swatch: Swatch

        public init(name: String, swatch: Swatch) {
            self.name = name
            self.swatch = swatch
        }
    }

    public enum Arrangement: Sendable, Equatable {
        /// Entries one after another, wrapping onto further rows at `maxWidth` (when given).
        case rows(maxWidth: Double?)
        /// Entries one below another.
        case column
    }

    public let entries: [Entry]
    public let title: String?
    public let arrangement: Arrangement
    /// A white box with a grey border, for a legend that sits on a plot.
    public let framed: Bool
    public let size: Size

    public init(entries: [Entry], title: String? = nil, arrangement: Arrangement = .rows(maxWidth: nil), framed: Bool = false) {
        self.entries = entries
        self.title = title
        self.arrangement = arrangement
        self.framed = framed
        size = Canvas.measuring { canvas in
            let frame = Self.place(entries, title: title, arrangement: arrangement, framed: framed, at: Point(0, 0), on: canvas).frame
            return Size(frame.width.rounded(.up), frame.height.rounded(.up))
        }
    }

    /// A key of coloured boxes, one per name: the labels of a categorical map.
    public static func categorical(_ names: [String], colors: [Color], title: String? = nil, maxWidth: Double? = nil) -> Legend {
        precondition(names.count <= colors.count, "\(names.count) categories need as many colours, not \(colors.count)")
        return Legend(entries: zip(names, colors).map { Entry(name: $0, swatch: .box($1)) }, title: title,
                      arrangement: .rows(maxWidth: maxWidth))
    }

    static let font = Font.sans(7.5), titleFont = Font.sans(7.5, bold: true)
    static let padding = 4.0, swatchWidth = 16.0, swatchGap = 4.0, entryGap = 10.0, rowGap = 2.0

    /// A legend at its place: its frame, and each entry's swatch and name.
    struct Placed: Sendable {
        var frame: Rect
        var framed: Bool
        var swatches: [(rect: Rect, swatch: Swatch)]
        var labels: [PlacedText]
    }

    func place(at origin: Point, on canvas: Canvas) -> Placed {
        Self.place(entries, title: title, arrangement: arrangement, framed: framed, at: origin, on: canvas)
    }

    static func place(_ entries: [Entry], title: String?, arrangement: Arrangement, framed: Bool, at origin: Point,
                      on canvas: Canvas) -> Placed {
        let padding = framed ? Self.padding : 0
        var swatches: [(rect: Rect, swatch: Swatch)] = [], labels: [PlacedText] = []
        let left = origin.x + padding
        var y = origin.y + padding
        if let title {
            labels.append(PlacedText(title, font: titleFont, at: Point(left, y), on: canvas))
            y = labels[0].frame.maxY + rowGap
        }
        var x = left, rowHeight = 0.0
        for entry in entries {
            let text = canvas.measure(entry.name, font: font)
            let width = swatchWidth + swatchGap + text.width
            if case .rows(let maxWidth?) = arrangement, x > left, x + width > origin.x + maxWidth - padding {
                (x, y) = (left, y + rowHeight + rowGap)
                rowHeight = 0
            }
            swatches.append((Rect(x, y, swatchWidth, text.height), entry.swatch))
            let label = PlacedText(entry.name, font: font, at: Point(x + swatchWidth + swatchGap, y), on: canvas)
            labels.append(label)
            rowHeight = max(rowHeight, text.height)
            if arrangement == .column {
                y += text.height + 1
                rowHeight = 0
            } else {
                x = label.frame.maxX + entryGap
            }
        }
        let right = max(labels.map(\.frame.maxX).max() ?? origin.x, swatches.map(\.rect.maxX).max() ?? origin.x)
        let bottom = max(labels.map(\.frame.maxY).max() ?? origin.y, swatches.map(\.rect.maxY).max() ?? origin.y)
        return Placed(frame: Rect(origin.x, origin.y, right - origin.x + padding, bottom - origin.y + padding),
                      framed: framed, swatches: swatches, labels: labels)
    }

    public func draw(on canvas: Canvas) {
        place(at: Point(0, 0), on: canvas).draw(on: canvas)
    }
}

extension Legend.Placed {
    func draw(on canvas: Canvas) {
        canvas.recordRegion(frame, as: .legend)
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
                let box = Rect(rect.x + 3, middle - 4, rect.width - 6, 8)
                canvas.fill(box, color)
                // Light colours get an outline, so that they show on white.
                if color.luminance > 0.8 { canvas.stroke(box, Color(hex: 0x999999), width: 0.5) }
            case .whisker(let color):
                let cap = 2.5
                canvas.strokeLine([Point(rect.center.x, middle - 4), Point(rect.center.x, middle + 4)], color, width: 0.8)
                for end in [middle - 4, middle + 4] {
                    canvas.strokeLine([Point(rect.center.x - cap, end), Point(rect.center.x + cap, end)], color, width: 0.8)
                }
            }
        }
        for label in labels { label.draw(on: canvas) }
    }
}
