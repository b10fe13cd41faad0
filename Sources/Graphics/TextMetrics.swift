import Foundation

/// What placing a line of text needs to know of it: its size and its first baseline.
public struct TextMetrics: Sendable, Equatable {
    public let size: Size
    public let firstBaseline: Double
}

/// Text metrics measured so far. Figures measure the same labels many times (every size a grid
/// tries, every cell of a row, every format it is drawn in), and a Pango layout costs far more
/// than a look-up. Metrics are kept under everything they depend on, the surface's kind and the
/// transform's linear part (Pango lays text out at the size it has on the surface) included, so
/// what is found here is what Pango gives.
final class MeasuredText: @unchecked Sendable {
    struct Key: Hashable {
        let text: String
        let font: Font
        let width: Double?
        let alignment: TextAlignment
        let markup: Bool
        let format: Format
        /// The transform's linear part (cairo_matrix_t's xx, yx, xy, yy).
        let xx, yx, xy, yy: Double
    }

    static let shared = MeasuredText()
    private let lock = NSLock()
    private var metrics: [Key: TextMetrics] = [:]

    /// The metrics under `key`, from `measure` the first time.
    func metrics(of key: Key, measure: () -> TextMetrics) -> TextMetrics {
        if let found = lock.withLock({ metrics[key] }) { return found }
        let measured = measure()
        lock.withLock { metrics[key] = measured }
        return measured
    }
}
