/// Where a figure is printed: a column `width` wide in which a figure is at most `maxHeight`
/// tall. A larger figure is scaled down to fit, never up, as the typesetter places it; text
/// therefore prints smaller than the font size it was drawn with.
public struct PrintArea: Sendable, Equatable {
    public var width: Double
    public var maxHeight: Double

    public init(width: Double, maxHeight: Double) {
        self.width = width
        self.maxHeight = maxHeight
    }

    /// The report's text column: A4 less 66 pt margins on each side, figures at most 520 pt tall.
    public static let column = PrintArea(width: 595.28 - 2 * 66, maxHeight: 520)

    /// Text printed smaller than this (in points) is too small to read.
    public static let minimumTextSize = 7.0

    /// The factor a figure of `size` is printed at: at most 1.
    public func scale(for size: Size) -> Double {
        min(1, width / size.width, maxHeight / size.height)
    }

    /// Whether a figure of `size` prints at its natural size.
    public func fits(_ size: Size) -> Bool { scale(for: size) == 1 }
}
