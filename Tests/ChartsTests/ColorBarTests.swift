import Foundation
import Testing
import Graphics
@testable import Charts

/// Colour bars tick their map's range like an axis and stay inside their size.
struct ColorBarTests {
    func layout(_ bar: ColorBar) -> ColorBar.Layout { Canvas.measuring { bar.layout(on: $0) } }

    func expectInside(_ bar: ColorBar, sourceLocation: SourceLocation = #_sourceLocation) {
        let layout = layout(bar)
        let bounds = Rect(0, 0, bar.size.width, bar.size.height).insetBy(-0.01, -0.01)
        let outside = layout.labels.filter { !(bounds.contains(Point($0.frame.x, $0.frame.y)) && bounds.contains(Point($0.frame.maxX, $0.frame.maxY))) }
        #expect(outside.isEmpty && bounds.contains(Point(layout.bar.maxX, layout.bar.maxY)),
                "outside \(bar.size): \(outside.map { "\($0.text) \($0.frame)" })", sourceLocation: sourceLocation)
    }

    @Test func divergingBarIsSymmetricAroundZero() {
        let bar = ColorBar(.diverging(limit: 0.48), label: "weight", length: 150)
        #expect(layout(bar).axis.labels == ["\u{2212}0.4", "\u{2212}0.2", "0.0", "0.2", "0.4"])
        #expect(abs(layout(bar).bar.height - 150) < 1e-9)
        expectInside(bar)
    }

    @Test func logBarShowsDecadesAndZero() {
        let bar = ColorBar(.logViridis(minimum: 1, maximum: 1131), label: "test images", extras: [Legend.Entry(name: "0", swatch: .box(.grid))])
        let layout = layout(bar)
        #expect(layout.axis.labels == ["1", "10", "100", "1,000"])
        #expect(layout.minorMarks.count == 24 && layout.extras.count == 1)
        // Decades are evenly spaced along the bar.
        let ys = layout.marks.map(\.0.y)
        let gaps = zip(ys, ys.dropFirst()).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - layout.bar.height * log10(10) / log10(1131)) < 1e-9 }, "gaps \(gaps)")
        expectInside(bar)
    }

    /// A label longer than a short bar moves the bar down rather than leave the figure.
    @Test func longLabelsStayInside() {
        expectInside(ColorBar(.viridis(minimum: 0, maximum: 2.84), label: "pool1 activation", length: 50))
        expectInside(ColorBar(.viridis(minimum: 0, maximum: 2.84), label: "a long label for a short bar", orientation: .horizontal, length: 40))
    }

    @Test func perPanelBarSaysSo() {
        let bar = ColorBar.perPanel(length: 120)
        #expect(layout(bar).axis.labels == ["\u{2212}L", "0", "+L"])
        #expect(layout(bar).labels.contains { $0.text.contains("own scale") })
        expectInside(bar)
    }

    /// A short horizontal bar keeps only as many labels as fit.
    @Test func shortBarsThinTheirTicks() {
        let bar = ColorBar(.viridis(minimum: 0, maximum: 1), orientation: .horizontal, length: 40)
        let layout = layout(bar)
        let frames = layout.labels.map(\.frame)
        let touching = zip(frames, frames.dropFirst()).contains { $0.maxX > $1.x }
        #expect(layout.axis.ticks.count >= 2 && !touching, "labels \(layout.axis.labels)")
        expectInside(bar)
    }

    /// Beside a grid, a bar without a length is as tall as the grid's images.
    @Test func attachedBarSpansTheImages() throws {
        let image = Colormap.viridis(minimum: 0, maximum: 1).image(width: 5, height: 5, values: (0..<25).map { Float($0) / 24 })
        let grid = ImageGrid(cells: (0..<16).map { ImageGrid.Cell(image: image, label: "map \($0)") }, columns: 8, cellSize: 40)
        let keyed = grid.withColorBar(ColorBar(.viridis(minimum: 0, maximum: 1), label: "activation"))
        let bar = try #require(keyed.keys.first as? ColorBar)
        let barLayout = layout(bar)
        let (content, keys) = (keyed.contentFrame, keyed.keyFrames)
        let top = keys[0].y + barLayout.bar.y, bottom = keys[0].y + barLayout.bar.maxY
        let images = (content.y + grid.dataArea.y)...(content.y + grid.dataArea.maxY)
        #expect(abs(top - images.lowerBound) < 1e-9 && abs(bottom - images.upperBound) < 1e-9, "bar \(top)…\(bottom), images \(images)")
        #expect(content.y >= 0 && keys[0].y >= 0 && keyed.size.height >= max(content.maxY, keys[0].maxY))
    }
}
