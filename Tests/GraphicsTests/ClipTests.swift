import Testing
@testable import Graphics

/// Segments against the rectangle [0, 10] × [0, 10]: the part inside (edges included), and
/// whether a segment passes through the interior, which one along an edge does not.
@Suite struct ClipTests {
    let square = Rect(0, 0, 10, 10)

    @Test func clipKeepsThePartInside() throws {
        let across = try #require(square.clip(Point(-5, 5), Point(15, 5)))
        #expect(abs(across.t0 - 0.25) < 1e-12 && abs(across.t1 - 0.75) < 1e-12, "\(across)")
        let inside = try #require(square.clip(Point(2, 2), Point(8, 3)))
        #expect(inside.t0 == 0 && inside.t1 == 1)
        #expect(square.clip(Point(-5, -1), Point(15, -1)) == nil, "below the square")
        #expect(square.clip(Point(-5, 4), Point(4, 16)) == nil, "past the corner")
        let edge = try #require(square.clip(Point(-5, 0), Point(15, 0)), "along the bottom edge: edges are inside")
        #expect(abs(edge.t0 - 0.25) < 1e-12 && abs(edge.t1 - 0.75) < 1e-12, "\(edge)")
    }

    @Test func aSegmentMeetsTheInteriorUnlessItOnlyTouchesTheEdge() {
        #expect(square.intersectsSegment(Point(-5, 5), Point(15, 5)))
        #expect(square.intersectsSegment(Point(5, 5), Point(5, 5)), "a point inside")
        #expect(square.intersectsSegment(Point(-1, 11), Point(1, 9)), "into the square past its corner")
        #expect(!square.intersectsSegment(Point(-5, 0), Point(15, 0)), "along an edge")
        #expect(!square.intersectsSegment(Point(-1, 9), Point(1, 11)), "through the corner point only")
        #expect(!square.intersectsSegment(Point(-5, 12), Point(15, 12)), "above")
    }
}
