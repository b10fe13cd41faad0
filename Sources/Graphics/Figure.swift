/// A drawing that renders itself at its natural size, in points; the same value becomes an SVG,
/// a PDF, a PNG, or vectors on a page of the report.
public protocol Figure: Sendable {
    /// The size the figure is designed at (about the report's text width).
    var size: Size { get }
    /// Draws into the rectangle (0, 0, size.width, size.height).
    func draw(on canvas: Canvas)
}
