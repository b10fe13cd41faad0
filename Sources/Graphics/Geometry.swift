public struct Point: Sendable, Equatable {
    public var x: Double, y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

public struct Size: Sendable, Equatable {
    public var width: Double, height: Double
    public init(_ width: Double, _ height: Double) { self.width = width; self.height = height }
}

public struct Rect: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(_ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var center: Point { Point(x + width / 2, y + height / 2) }
    public func insetBy(_ dx: Double, _ dy: Double) -> Rect { Rect(x + dx, y + dy, width - 2 * dx, height - 2 * dy) }
}

/// An sRGB colour with alpha, components in 0…1.
public struct Color: Sendable, Equatable {
    public var red: Double, green: Double, blue: Double, alpha: Double
    public init(_ red: Double, _ green: Double, _ blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }
    public init(hex: UInt32) {
        self.init(Double(hex >> 16 & 0xFF) / 255, Double(hex >> 8 & 0xFF) / 255, Double(hex & 0xFF) / 255)
    }
    public static let black = Color(0, 0, 0), white = Color(1, 1, 1)
    public static let text = Color(hex: 0x222222), muted = Color(hex: 0x666666), grid = Color(hex: 0xDDDDDD)
    /// Series colours (Okabe & Ito's colour-blind-safe palette).
    public static let series = [Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
                                Color(hex: 0xE69F00)]

    public func mixed(with other: Color, _ t: Double) -> Color {
        Color(red + (other.red - red) * t, green + (other.green - green) * t, blue + (other.blue - blue) * t,
              alpha: alpha + (other.alpha - alpha) * t)
    }
}

/// A font as Pango names it.
public struct Font: Sendable, Hashable {
    public var family: String
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    public init(_ family: String = "DejaVu Sans", size: Double, bold: Bool = false, italic: Bool = false) {
        self.family = family; self.size = size; self.bold = bold; self.italic = italic
    }
    public static func sans(_ size: Double, bold: Bool = false) -> Font { Font(size: size, bold: bold) }
    public static func serif(_ size: Double, bold: Bool = false, italic: Bool = false) -> Font {
        Font("DejaVu Serif", size: size, bold: bold, italic: italic)
    }
    public static func mono(_ size: Double) -> Font { Font("DejaVu Sans Mono", size: size) }

    var pangoDescription: String { "\(family)\(bold ? " Bold" : "")\(italic ? " Italic" : "") \(size)" }
}

public enum TextAlignment: Sendable, Hashable { case left, center, right }
