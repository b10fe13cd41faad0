import Foundation
import Testing
import Graphics
@testable import Charts

private let tolerance = 0.01

private func overlap(_ a: Rect, _ b: Rect) -> Double {
    min(min(a.maxX, b.maxX) - max(a.x, b.x), min(a.maxY, b.maxY) - max(a.y, b.y))
}

/// Grids in bands, with companions, notes, keys and titles: everything inside the figure and apart
/// (tolerance 0.01 pt).
struct ImageGridTests {
    static let image = Colormap.ink(maximum: 1).image(width: 6, height: 6, values: (0..<36).map { Float($0 % 7) / 6 })

    func expectTidy(_ grid: ImageGrid, sourceLocation: SourceLocation = #_sourceLocation) {
        let layout = Canvas.measuring { grid.layout(on: $0) }
        let boxes = layout.images + layout.companions.values + layout.keys.values.map(\.frame) + layout.labels.map(\.frame)
        let bounds = Rect(0, 0, grid.size.width, grid.size.height)
        let outside = boxes.filter { $0.x < -tolerance || $0.y < -tolerance || $0.maxX > bounds.maxX + tolerance || $0.maxY > bounds.maxY + tolerance }
        #expect(outside.isEmpty, "outside \(grid.size): \(outside)", sourceLocation: sourceLocation)
        var worst = -Double.infinity
        for i in boxes.indices { for j in boxes.indices where j > i { worst = max(worst, overlap(boxes[i], boxes[j])) } }
        #expect(worst <= tolerance, "boxes overlap by \(worst) pt", sourceLocation: sourceLocation)
    }

    @Test func bandsRepeatRowLabelsAndStack() {
        let grid = ImageGrid(cells: (0..<(3 * 23)).map { _ in ImageGrid.Cell(image: Self.image) }, columns: 23, cellSize: 20, gap: 3,
                             rowLabels: ["gradient", "deconvnet", "guided"], columnLabels: (0..<23).map { "\($0)" }, bands: [7, 8, 8])
        expectTidy(grid)
        let layout = Canvas.measuring { grid.layout(on: $0) }
        #expect(layout.labels.filter { $0.text == "deconvnet" }.count == 3)
        // Column 7 starts the second band: at the left, below the first band's last row.
        #expect(abs(layout.images[7].x - layout.images[0].x) < tolerance && layout.images[7].y > layout.images[2 * 23].maxY)
    }

    /// Too wide for the column, a grid's images shrink to fit it while its labels keep their size.
    @Test func fittingShrinksImagesNotType() throws {
        let wide = ImageGrid(cells: (0..<24).map { ImageGrid.Cell(image: Self.image, label: "\($0)") }, columns: 12, cellSize: 40,
                             rowLabels: ["conv1+2 random", "switches only"])
        #expect(!PrintArea.column.fits(wide.size))
        let fitted = wide.fitting()
        #expect(PrintArea.column.fits(fitted.size) && fitted.cellSize < 40 && fitted.size.width > PrintArea.column.width - 12,
                "\(fitted.size) with \(fitted.cellSize) pt cells")
        #expect(try #require(fitted.smallestPrintedText()).size == 7.5)
        #expect(fitted.fitting().cellSize == fitted.cellSize)
        // Labels wider than any image: shrinking cannot help, and the images keep their size.
        let labelled = ImageGrid(cells: (0..<5).map { _ in ImageGrid.Cell(image: Self.image, label: "(b) a label far wider than the image") },
                                 columns: 5, cellSize: 60)
        #expect(labelled.fitting().cellSize == 60)
        // Cut into two bands of six columns, the images can be larger.
        let banded = wide.fitting(bands: [[6, 6]])
        #expect(banded.bands == [6, 6] && banded.cellSize > fitted.cellSize && PrintArea.column.fits(banded.size))
    }

    @Test func companionsSitBesideTheirImage() {
        let cells = (0..<9).map { ImageGrid.Cell(image: Self.image, label: String(format: "%.2f", 10 - Double($0) / 3), companion: Self.image) }
        let grid = ImageGrid(cells: cells, columns: 3, cellSize: 21, gap: 3, title: "map 10")
        expectTidy(grid)
        let layout = Canvas.measuring { grid.layout(on: $0) }
        for (index, image) in layout.images.enumerated() {
            let companion = layout.companions[index]!
            #expect(abs(companion.y - image.y) < tolerance && abs(companion.x - image.maxX - 1) < tolerance)
        }
    }

    /// A title names a block without widening its columns: blocks titled "map 0" and "map 10" are
    /// the same size, so that a grid of them lines up.
    @Test func titlesDoNotWidenColumns() {
        func block(_ title: String) -> ImageGrid {
            ImageGrid(cells: (0..<9).map { _ in ImageGrid.Cell(image: Self.image, label: "9.99", companion: Self.image) }, columns: 3,
                      cellSize: 21, gap: 3, title: title)
        }
        #expect(block("map 0").size == block("map 10").size)
        let grid = Grid([block("map 0"), block("map 10"), block("map 1"), block("map 11")], columns: 2)
        let frames = grid.frames
        #expect(frames[0].x == frames[2].x && frames[1].x == frames[3].x)
    }

    @Test func notesAndKeysFitTheirColumn() {
        let cells = [
            ImageGrid.Cell(image: Self.image, label: "(b) activation", key: ColorBar(.viridis(minimum: 0, maximum: 182.5), orientation: .horizontal)),
            ImageGrid.Cell(image: Self.image, label: "(c) projection", note: "±0.42"),
            ImageGrid.Cell(image: Self.image, label: "(e) label", key: Legend.categorical(["0", "3", "7"], colors: Color.categorical, title: "label")),
        ]
        let grid = ImageGrid(cells: cells, columns: 3, cellSize: 80, gap: 10, rowTitle: "digit 0", columnTitle: "panels")
        expectTidy(grid)
        let layout = Canvas.measuring { grid.layout(on: $0) }
        for (index, key) in layout.keys {
            #expect(key.frame.width <= max(80, layout.images[index].width) + tolerance, "key \(index) is \(key.frame.width) pt wide")
        }
    }
}
