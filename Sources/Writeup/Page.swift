import Graphics

/// Something placed on a page during pagination, drawn afterwards in the order placed, which is
/// the reading order of the tagged PDF.
enum Placed {
    /// Lines of text; `text` knows its links.
    case lines(TextLayout, Range<Int>, at: Point, color: Color, text: StyledText?)
    case figure(any Figure, Rect)
    case fill(Rect, Color)
    case rule(from: Point, to: Point, width: Double, color: Color)
    case destination(String, at: Point)
    /// A contents entry's page number, known only once the body is paginated.
    case pageNumber(ofAnchor: String, rightEdge: Point, font: Font)
    /// Opens and closes an element of the structure tree.
    case begin(Structure)
    case end(Structure)

    /// The area it covers, for the tests' margin checks.
    var bounds: Rect? {
        switch self {
        case .lines(let layout, let range, let at, _, _): Rect(at.x, at.y, layout.size.width, layout.height(of: range))
        case .figure(_, let rect), .fill(let rect, _): rect
        case .rule(let a, let b, _, _): Rect(min(a.x, b.x), min(a.y, b.y), abs(b.x - a.x), abs(b.y - a.y))
        case .destination, .pageNumber, .begin, .end: nil
        }
    }
}

/// An element of the PDF's structure tree.
enum Structure: Equatable {
    /// A standard structure type (`P`, `H2`, `Table`, …). With `textInSpans`, its text is drawn in
    /// `Span` and `Link` children, as Cairo 1.16 needs for an element that holds links or whose
    /// text continues on the next page (it marks content only in leaves).
    case element(String, textInSpans: Bool = false)
    /// A figure and its alternative text.
    case figure(alternativeText: String)
    /// A link around what is drawn inside it (a contents entry).
    case link(LinkTarget)
}

struct Page {
    var items: [Placed] = []
}
