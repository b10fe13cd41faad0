import Foundation
import Testing
@testable import Graphics

struct ColormapTests {
    /// The limit is the value at the 99th percentile of the sorted non-zero magnitudes, index ⌊0.99 n⌋.
    @Test func percentileLimitSkipsZerosAndTakesMagnitudes() {
        let values: [Float] = [0, 0, -3] + (1...99).map(Float.init)   // 100 non-zero magnitudes: 1…99 and 3
        // Sorted: 1, 2, 3, 3, 4, …, 99; index 99 is 99, index ⌊0.5 · 100⌋ = 50 is 50.
        #expect(Colormap.percentileLimit(values) == 99)
        #expect(Colormap.percentileLimit(values, percentile: 0.5) == 50)
        #expect(Colormap.percentileLimit([0, 0]) == 1)
    }

    @Test func symmetricLimitIsTheLargestMagnitude() {
        #expect(Colormap.symmetricLimit([0.5, -2, 1]) == 2)
        #expect(Colormap.symmetricLimit([0, 0]) == 1)
    }

    @Test func nonFiniteValuesAreGrey() {
        #expect(Colormap.diverging(limit: 1).color(.nan) == Color(0.5, 0.5, 0.5))
        #expect(Colormap.viridis(minimum: 0, maximum: 1).color(.infinity) == Color(0.5, 0.5, 0.5))
    }
}

/// CIELAB (D65) of an sRGB colour, for colour distances.
private func lab(_ c: Color) -> (l: Double, a: Double, b: Double) {
    func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
    let (r, g, b) = (linear(c.red), linear(c.green), linear(c.blue))
    let xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883]
    let f = xyz.map { $0 > 0.008856 ? cbrt($0) : 7.787 * $0 + 16.0 / 116 }
    return (116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2]))
}

private func distance(_ x: Color, _ y: Color) -> Double {
    let (p, q) = (lab(x), lab(y))
    return ((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b)).squareRoot()
}

struct PaletteTests {
    /// The categorical palette keeps away from every colour the continuous maps use (ΔE*ab ≥ 22,
    /// sampled at 201 points each) and its colours from each other (≥ 30).
    @Test func categoricalColoursAreApartFromTheMapsAndEachOther() {
        let maps: [Colormap] = [.viridis(minimum: 0, maximum: 1), .diverging(limit: 1), .ink(maximum: 1)]
        let used = maps.flatMap { map in (0...200).map { map.color(map == .diverging(limit: 1) ? Float($0) / 100 - 1 : Float($0) / 200) } }
        let fromMaps = Color.categorical.map { c in used.map { distance(c, $0) }.min()! }
        #expect(Color.categorical.count == 10 && fromMaps.min()! >= 22, "closest to a map colour: \(fromMaps.min()!)")
        let pairs = Color.categorical.indices.flatMap { i in Color.categorical.indices.filter { $0 > i }.map { distance(Color.categorical[i], Color.categorical[$0]) } }
        #expect(pairs.min()! >= 30, "closest pair: \(pairs.min()!)")
    }

    @Test func logViridisSpreadsDecadesEvenly() {
        let map = Colormap.logViridis(minimum: 1, maximum: 1000)
        let (a, b) = (map.color(10), Colormap.viridis(minimum: 0, maximum: 3).color(1))
        #expect(abs(a.red - b.red) + abs(a.green - b.green) + abs(a.blue - b.blue) < 1e-6, "\(a) against \(b)")
        #expect(map.color(0) == map.color(1) && map.color(5000) == map.color(1000))
        #expect(map.domain.logarithmic && map.domain.range == 1...1000)
    }
}
