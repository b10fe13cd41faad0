import Foundation

/// Maps values to colours; a `ColorBar` shows how.
public enum Colormap: Sendable, Equatable {
    /// Ink on paper: 0 is white, `maximum` black (digits as printed).
    case ink(maximum: Float)
    /// Diverging around 0 with symmetric limits ±`limit`: blue below, white at 0, red above.
    case diverging(limit: Float)
    /// Perceptually uniform viridis from `minimum` (dark blue) to `maximum` (yellow).
    case viridis(minimum: Float, maximum: Float)
    /// Viridis on a logarithmic scale from `minimum` to `maximum` (both positive), for counts
    /// that span orders of magnitude; values below `minimum`, zero included, take its colour.
    case logViridis(minimum: Float, maximum: Float)

    public func color(_ value: Float) -> Color {
        // A NaN or infinity has no place on the scale; it is drawn mid-grey rather than trapping.
        guard value.isFinite else { return Color(0.5, 0.5, 0.5) }
        switch self {
        case .ink(let maximum):
            let t = Double(maximum > 0 ? min(max(value / maximum, 0), 1) : 0)
            return Color(1 - t, 1 - t, 1 - t)
        case .diverging(let limit):
            let t = Double(limit > 0 ? min(max(value / limit, -1), 1) : 0)
            return t >= 0 ? Self.white.mixed(with: Self.red, t) : Self.white.mixed(with: Self.blue, -t)
        case .viridis(let minimum, let maximum):
            return Self.viridis(maximum > minimum ? Double((value - minimum) / (maximum - minimum)) : 0)
        case .logViridis(let minimum, let maximum):
            guard minimum > 0, maximum > minimum, value > minimum else { return Self.viridis(0) }
            return Self.viridis(log(Double(value) / Double(minimum)) / log(Double(maximum) / Double(minimum)))
        }
    }

    /// Viridis at `t` (clamped to 0…1), interpolated between its anchors.
    private static func viridis(_ t: Double) -> Color {
        let scaled = min(max(t, 0), 1) * Double(viridisAnchors.count - 1)
        let i = min(Int(scaled), viridisAnchors.count - 2)
        return viridisAnchors[i].mixed(with: viridisAnchors[i + 1], scaled - Double(i))
    }

    /// The values the map spreads its colours over, and whether it does so logarithmically.
    public var domain: (range: ClosedRange<Double>, logarithmic: Bool) {
        switch self {
        case .ink(let maximum): (0...Double(max(maximum, .leastNormalMagnitude)), false)
        case .diverging(let limit): (-Double(abs(limit))...Double(abs(limit)), false)
        case .viridis(let minimum, let maximum): (Double(min(minimum, maximum))...Double(max(minimum, maximum)), false)
        case .logViridis(let minimum, let maximum): (Double(min(minimum, maximum))...Double(max(minimum, maximum)), true)
        }
    }

    public func image(width: Int, height: Int, values: [Float]) -> PixelImage {
        PixelImage(width: width, height: height, values: values, colors: color)
    }

    /// Symmetric limits for signed data: the largest magnitude (1 when all values are 0).
    public static func symmetricLimit(_ values: [Float]) -> Float {
        let m = values.map(abs).max() ?? 0
        return m > 0 ? m : 1
    }

    /// The `percentile` of the non-zero magnitudes of `values` (1 when all are zero): a limit for
    /// a diverging scale that a few extreme values cannot wash out; values beyond it saturate.
    public static func percentileLimit(_ values: [Float], percentile: Double = 0.99) -> Float {
        let magnitudes = values.map(abs).filter { $0 > 0 }.sorted()
        guard !magnitudes.isEmpty else { return 1 }
        return magnitudes[min(magnitudes.count - 1, Int(percentile * Double(magnitudes.count)))]
    }

    // ColorBrewer RdBu's ends, and viridis sampled at eleven evenly spaced points.
    static let white = Color(hex: 0xF7F7F7), red = Color(hex: 0xB2182B), blue = Color(hex: 0x2166AC)
    static let viridisAnchors: [Color] = [0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
                                          0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725].map { Color(hex: $0) }
}
