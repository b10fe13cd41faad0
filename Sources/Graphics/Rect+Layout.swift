extension Rect {
    public var size: Size { Size(width, height) }

    public func contains(_ p: Point) -> Bool { p.x >= x && p.x <= maxX && p.y >= y && p.y <= maxY }

    /// The part of the segment from `a` to `b` inside the rectangle (edges included), as the
    /// parameters t0 ≤ t1 of its ends on a + t·(b − a); nil when none (Liang–Barsky).
    public func clip(_ a: Point, _ b: Point) -> (t0: Double, t1: Double)? {
        var (t0, t1) = (0.0, 1.0)
        let d = Point(b.x - a.x, b.y - a.y)
        for (p, q) in [(-d.x, a.x - x), (d.x, maxX - a.x), (-d.y, a.y - y), (d.y, maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            }
        }
        return t0 <= t1 ? (t0, t1) : nil
    }
}
