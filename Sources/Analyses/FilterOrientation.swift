import Foundation

/// The orientation a first-layer filter responds to, from the structure tensor of its weights:
/// J = Σ ∇w ∇wᵀ, the gradient taken at the centre of every 2×2 cell of the kernel (the mean of
/// the cell's two differences each way), so that every weight counts alike and no edge of the
/// kernel needs a one-sided difference. The weights change fastest across the stroke or edge the
/// filter matches, so that stroke runs at right angles to J's main eigenvector. Angles are as seen
/// on the page, counter-clockwise from horizontal, in [0°, 180°); coherence (λ₁ − λ₂) / (λ₁ + λ₂)
/// is 1 for a filter that varies in one direction only and 0 for one with no preferred direction.
public struct FilterOrientation: Sendable, Equatable {
    /// A filter is read as oriented from this coherence up.
    public static let orientedFrom = 0.5

    public let angle: Double, coherence: Double
    public var isOriented: Bool { coherence >= Self.orientedFrom }

    /// The orientation of a `side`×`side` kernel, row-major with rows running down the page; nil
    /// for a 1×1 kernel, which has no direction.
    public init?(kernel w: [Float], side: Int) {
        precondition(w.count == side * side, "a square kernel")
        guard side >= 2 else { return nil }
        func at(_ y: Int, _ x: Int) -> Double { Double(w[y * side + x]) }
        var (jxx, jyy, jxy) = (0.0, 0.0, 0.0)
        for y in 0..<(side - 1) {
            for x in 0..<(side - 1) {
                let gx = (at(y, x + 1) - at(y, x) + at(y + 1, x + 1) - at(y + 1, x)) / 2
                // y grows down the page; the page's upward gradient is its negative.
                let gy = -(at(y + 1, x) - at(y, x) + at(y + 1, x + 1) - at(y, x + 1)) / 2
                jxx += gx * gx
                jyy += gy * gy
                jxy += gx * gy
            }
        }
        let trace = jxx + jyy, spread = ((jxx - jyy) * (jxx - jyy) + 4 * jxy * jxy).squareRoot()
        coherence = trace > 0 ? spread / trace : 0
        // The main eigenvector's angle, then the stroke at right angles to it.
        let across = 0.5 * atan2(2 * jxy, jxx - jyy) * 180 / .pi
        let along = (across + 90).truncatingRemainder(dividingBy: 180)
        angle = along < 0 ? along + 180 : along
    }

    /// "horizontal", "rising" (to the right), "vertical" or "falling": the nearest of the four, each 45° wide.
    public var name: String {
        switch angle {
        case ..<22.5, 157.5...: "horizontal"
        case ..<67.5: "rising"
        case ..<112.5: "vertical"
        default: "falling"
        }
    }
}
