import Foundation
import Testing
@testable import Analyses

/// Kernels whose stroke direction is known by construction.
struct FilterOrientationTests {
    /// A 5×5 kernel with value f(x, y), y counted up the page from the centre.
    static func kernel(_ f: (Double, Double) -> Double) -> [Float] {
        (0..<25).map { (i: Int) -> Float in
            let x = Double(i % 5 - 2), y = Double(2 - i / 5)
            return Float(f(x, y))
        }
    }

    @Test(arguments: [(0.0, "horizontal"), (45.0, "rising"), (90.0, "vertical"), (135.0, "falling"), (30.0, "rising")])
    func aBarIsFoundAtItsAngle(degrees: Double, name: String) {
        let t = degrees * .pi / 180
        // A bright bar through the centre along direction t: bright where the distance across it is small.
        let bar = Self.kernel { x, y in let d = -x * sin(t) + y * cos(t); return exp(-d * d) }
        let o = FilterOrientation(kernel: bar, side: 5)!
        let error = min(abs(o.angle - degrees), 180 - abs(o.angle - degrees))
        // Within 5°: a bar is drawn on only 5×5 pixels.
        #expect(error < 5, "found \(o.angle)° for a bar at \(degrees)°")
        #expect(o.isOriented && o.name == name, "coherence \(o.coherence), \(o.name)")
    }

    @Test func aBlobAndAFlatKernelHaveNoOrientation() {
        let blob = Self.kernel { x, y in exp(-(x * x + y * y) / 2) }
        #expect(FilterOrientation(kernel: blob, side: 5)!.coherence < 0.05)
        #expect(FilterOrientation(kernel: [Float](repeating: 0.3, count: 9), side: 3)!.coherence == 0)
        #expect(FilterOrientation(kernel: [1], side: 1) == nil, "a 1×1 kernel has no direction")
    }

    /// An edge (dark to bright across it) runs along the same line as a bar; its sign does not matter.
    @Test func anEdgeAndItsNegativeShareTheirOrientation() {
        let edge = Self.kernel { x, _ in x > 0 ? 1 : -1 }
        let a = FilterOrientation(kernel: edge, side: 5)!, b = FilterOrientation(kernel: edge.map { -$0 }, side: 5)!
        #expect(a == b && a.name == "vertical" && a.coherence > 0.99)
    }
}
