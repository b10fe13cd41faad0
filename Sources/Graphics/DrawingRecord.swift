/// What a figure drew, in the coordinates of the surface it was drawn on (points as printed, when
/// it was drawn at its printed scale): every text with its printed size, and the marks that show
/// data or make up a legend. Tests read it to check that a figure is legible and that no legend
/// hides data, whatever the figure is built of.
public struct DrawingRecord: Sendable {
    public struct Text: Sendable, Equatable {
        public let text: String
        /// The font size as printed, in points: the size drawn with times the current scale.
        public let size: Double
        /// The box the text covers (after any rotation).
        public let frame: Rect
    }

    /// What a mark stands for: charts say so while they draw; other marks are not recorded.
    public enum Role: Sendable, Equatable {
        /// Lines, markers, bars and whiskers of the data.
        case data
        /// The box of a legend or key, which should cover no data.
        case legend
    }

    public enum Shape: Sendable, Equatable {
        /// A stroked line through the points, `halfWidth` either side of it.
        case polyline([Point], halfWidth: Double)
        /// A filled or stroked rectangle (the bounding box, if it was drawn rotated).
        case rect(Rect)
        case circle(Point, radius: Double)
    }

    public struct Mark: Sendable, Equatable {
        public let role: Role
        public let shape: Shape
    }

    public internal(set) var texts: [Text] = []
    public internal(set) var marks: [Mark] = []

    /// The text printed smallest; nil when the figure draws no text.
    public var smallestText: Text? { texts.min { $0.size < $1.size } }

    /// Every data mark that a legend's box overlaps by more than `tolerance` points, with the box.
    public func dataUnderLegends(tolerance: Double = 0) -> [(legend: Rect, data: Shape)] {
        let legends = marks.compactMap { mark -> Rect? in
            guard mark.role == .legend, case .rect(let r) = mark.shape else { return nil }
            let inner = r.insetBy(tolerance, tolerance)
            return inner.width > 0 && inner.height > 0 ? inner : nil
        }
        return legends.flatMap { legend in
            marks.filter { $0.role == .data && $0.shape.intersects(legend) }.map { (legend, $0.shape) }
        }
    }
}

extension DrawingRecord.Shape {
    /// Whether any part of the shape lies strictly inside `rect`.
    public func intersects(_ rect: Rect) -> Bool {
        switch self {
        case .rect(let r):
            return r.x < rect.maxX && rect.x < r.maxX && r.y < rect.maxY && rect.y < r.maxY
        case .circle(let c, let radius):
            let dx = c.x - min(max(c.x, rect.x), rect.maxX), dy = c.y - min(max(c.y, rect.y), rect.maxY)
            return dx * dx + dy * dy < radius * radius
        case .polyline(let points, let halfWidth):
            let grown = rect.insetBy(-halfWidth, -halfWidth)
            if points.count == 1 { return grown.containsStrictly(points[0]) }
            return zip(points, points.dropFirst()).contains { grown.intersectsSegment($0, $1) }
        }
    }
}

extension Rect {
    func containsStrictly(_ p: Point) -> Bool { p.x > x && p.x < maxX && p.y > y && p.y < maxY }

    /// Whether the segment from `a` to `b` passes through the interior: a chord of a convex
    /// shape that touches the interior has its midpoint there.
    func intersectsSegment(_ a: Point, _ b: Point) -> Bool {
        guard let (t0, t1) = clip(a, b) else { return false }
        let t = (t0 + t1) / 2
        return containsStrictly(Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
    }
}

/// Collects a `DrawingRecord` while a canvas draws.
final class DrawingRecorder {
    var record = DrawingRecord()
    var role: DrawingRecord.Role?
}
