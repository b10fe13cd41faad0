import Foundation

extension Color {
    /// Ten colours for ten categories (the labels of a label map) that no continuous colour map
    /// of the report uses: each at least 22 CIELAB units (ΔE*ab) from every colour of viridis, of
    /// the red–blue diverging map and of the grey ink scale, and at least 30 from each other.
    /// Picked from ColorBrewer, Okabe & Ito, Set1 and named colours by a search for the largest
    /// smallest distance; the numbers are checked by `ColormapTests`.
    public static let categorical = [0xE69F00, 0x984EA3, 0x8C510A, 0xFF1493, 0x808000,
                                     0xD55E00, 0x8E0152, 0xDFC27D, 0x8C564B, 0xF781BF].map { Color(hex: $0) }

    /// Relative luminance (WCAG): 0 for black, 1 for white.
    public var luminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }
}
