import Graphics

/// A figure with its keys outside it: one legend above a grid of charts that share it, a colour
/// bar right of the panels whose scale it shows. Keys without a length of their own are fitted
/// to the content: a colour bar as long as its images (or the whole content), a legend in rows
/// no wider than the content.
public struct Keyed: Figure, Sendable {
    public enum Side: Sendable, Equatable { case top, right, bottom }

    public let content: any Figure
    public let keys: [any Figure]
    public let side: Side
    public let spacing: Double
    public let size: Size
    /// Where the content and each key go, laid out once: drawing reads them.
    let contentFrame: Rect, keyFrames: [Rect]

    /// A bar under or over a figure spans its data up to this length, as a key rather than a band.
    static let longestBar = 240.0

    public init(_ content: any Figure, keys: [any Figure], side: Side = .right, spacing: Double = 8) {
        self.content = content
        self.side = side
        self.spacing = spacing
        let area = Self.dataArea(of: content)
        let bars = keys.filter { ($0 as? ColorBar).map { $0.length == nil && $0.orientation == .vertical } ?? false }.count
        self.keys = keys.map { key in
            if side == .right, let bar = key as? ColorBar, bar.length == nil, bar.orientation == .vertical {
                return bar.resized(to: (area.height - spacing * Double(bars - 1)) / Double(bars))
            }
            return fitted(key, width: side == .right ? nil : area.width, longestBar: Self.longestBar)
        }
        (contentFrame, keyFrames, size) = Self.frames(content: content, area: area, keys: self.keys, side: side, spacing: spacing)
    }

    private static func dataArea(of content: any Figure) -> Rect {
        (content as? HasDataArea)?.dataArea ?? Rect(0, 0, content.size.width, content.size.height)
    }

    /// Where the content and each key go, and the size of the whole.
    private static func frames(content: any Figure, area: Rect, keys: [any Figure], side: Side,
                               spacing: Double) -> (content: Rect, keys: [Rect], size: Size) {
        let sizes = keys.map(\.size)
        switch side {
        case .right:
            // Keys one below another from the top of the data; a colour bar's gradient (not its
            // end labels) lines up with it, so the content moves down if a label would stick out.
            let lead = (keys.first as? ColorBar).map { $0.barFrame.y } ?? 0
            let contentY = max(0, lead - area.y)
            var y = contentY + area.y - lead
            let keyFrames = sizes.map { s -> Rect in
                defer { y += s.height + spacing }
                return Rect(content.size.width + spacing, y, s.width, s.height)
            }
            let size = Size(content.size.width + spacing + (sizes.map(\.width).max() ?? 0),
                            max(contentY + content.size.height, keyFrames.last.map { $0.maxY } ?? 0))
            return (Rect(0, contentY, content.size.width, content.size.height), keyFrames, size)
        case .top, .bottom:
            let rowWidth = sizes.map(\.width).reduce(0, +) + spacing * Double(max(sizes.count - 1, 0))
            let rowHeight = sizes.map(\.height).max() ?? 0
            let width = max(content.size.width, rowWidth)
            let contentX = (width - content.size.width) / 2
            // The keys centred over the content's data, as far as the figure allows.
            var x = min(max(contentX + area.center.x - rowWidth / 2, 0), width - rowWidth)
            let contentY = side == .top ? rowHeight + spacing : 0
            let keysY = side == .top ? 0 : content.size.height + spacing
            let keyFrames = sizes.map { s -> Rect in
                defer { x += s.width + spacing }
                return Rect(x, keysY + (rowHeight - s.height) / 2, s.width, s.height)
            }
            return (Rect(contentX, contentY, content.size.width, content.size.height), keyFrames,
                    Size(width, content.size.height + spacing + rowHeight))
        }
    }

    public func draw(on canvas: Canvas) {
        canvas.isolated {
            canvas.translate(contentFrame.x, contentFrame.y)
            content.draw(on: canvas)
        }
        for (key, frame) in zip(keys, keyFrames) {
            canvas.isolated {
                canvas.translate(frame.x, frame.y)
                key.draw(on: canvas)
            }
        }
    }
}

/// A figure whose data (images, cells) fills only part of it: keys line up with that part.
protocol HasDataArea {
    var dataArea: Rect { get }
}

/// `key` made to fit `width`: a colour bar without a length as long as fits (at most
/// `longestBar`), a legend in rows wrapped at it; other figures as they are.
func fitted(_ key: any Figure, width: Double?, longestBar: Double = .infinity) -> any Figure {
    if let bar = key as? ColorBar, bar.length == nil {
        guard let width, bar.orientation == .horizontal else { return bar }
        let first = bar.resized(to: min(width, longestBar))
        return first.size.width <= width ? first : bar.resized(to: first.barFrame.width - (first.size.width - width))
    }
    if let legend = key as? Legend, let width, legend.size.width > width, case .rows = legend.arrangement {
        return Legend(entries: legend.entries, title: legend.title, arrangement: .rows(maxWidth: width), framed: legend.framed)
    }
    return key
}

extension Figure {
    /// This figure with `bar` beside it (right) or under it.
    public func withColorBar(_ bar: ColorBar, side: Keyed.Side = .right) -> Keyed {
        Keyed(self, keys: [bar], side: side)
    }

    /// This figure with `legend` above it (or beside or under it): one legend for all its panels.
    public func withLegend(_ legend: Legend, side: Keyed.Side = .top) -> Keyed {
        Keyed(self, keys: [legend], side: side)
    }
}
