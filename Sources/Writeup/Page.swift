import Graphics

/// Something placed on a page during pagination, drawn afterwards.
indirect enum Placed {
    case lines(TextLayout, Range<Int>, at: Point, color: Color)
    case figure(any Figure, Rect)
    case fill(Rect, Color)
    case rule(from: Point, to: Point, width: Double, color: Color)
    case destination(String, at: Point)
    /// A contents entry's page number, known only once the body is paginated.
    case pageNumber(ofHeading: Int, rightEdge: Point, font: Font)
    case link(to: String, Placed)

    /// The area it covers, for the tests' margin checks.
    var bounds: Rect? {
        switch self {
        case .lines(let layout, let range, let at, _): Rect(at.x, at.y, layout.size.width, layout.height(of: range))
        case .figure(_, let rect), .fill(let rect, _): rect
        case .rule(let a, let b, _, _): Rect(min(a.x, b.x), min(a.y, b.y), abs(b.x - a.x), abs(b.y - a.y))
        case .link(_, let inner): inner.bounds
        case .destination, .pageNumber: nil
        }
    }
}

struct Page {
    var items: [Placed] = []
}
