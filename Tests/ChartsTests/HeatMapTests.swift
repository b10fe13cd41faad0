import Testing
import Graphics
@testable import Charts

/// Counts print as the tables do and fit their cells, which grow rather than the type shrink
/// (tolerance 0.01 pt); zeros, off the logarithmic scale, get their own colour and box on the bar.
struct HeatMapTests {
    static let map = HeatMap(values: [[1234, 0, 7], [3, 999, 0]], rowLabels: ["a", "b"], columnLabels: ["c", "d", "e"],
                             rowTitle: "true", columnTitle: "predicted", cellSize: 12)

    @Test func countsFitTheirGrownCells() {
        let layout = Canvas.measuring { Self.map.layout(on: $0) }
        let counts = layout.labels.suffix(layout.cells.count)
        #expect(counts.map(\.text) == ["1,234", "0", "7", "3", "999", "0"])
        let worst = zip(counts, layout.cells).map { label, cell in
            max(cell.rect.x - label.frame.x, label.frame.maxX - cell.rect.maxX, cell.rect.y - label.frame.y, label.frame.maxY - cell.rect.maxY)
        }.max()!
        #expect(worst <= 0.01 && Self.map.cellSize > 12, "a count sticks out of its cell by \(worst) pt (cells \(Self.map.cellSize) pt)")
        #expect(counts.allSatisfy { $0.font.size >= 7 })
    }

    @Test func zerosAreOffTheScale() throws {
        let layout = Canvas.measuring { Self.map.layout(on: $0) }
        #expect(layout.cells[1].color == HeatMap.zeroColor && layout.cells[0].color != HeatMap.zeroColor)
        let bar = try #require(layout.colorBar).bar
        #expect(bar.extras.map(\.name) == ["0"] && bar.colormap == .logViridis(minimum: 1, maximum: 1234))
    }
}
