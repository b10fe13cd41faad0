import Foundation
import Testing
import Graphics
@testable import Charts

/// Every building block, at its default type sizes and as the report places it (scaled into the
/// 463 pt column, at most 520 pt tall), prints no text under 7 pt.
struct LegibilityTests {
    static var image: PixelImage { Colormap.diverging(limit: 1).image(width: 28, height: 28, values: Curves.pattern) }

    /// The 23-column grid of the reconstructions: the input and conv1's 6 maps, then conv2's 16
    /// in two bands of 8, four rows each.
    static func mapGrid(bands: [Int]) -> ImageGrid {
        let cells = (0..<(4 * 23)).map { _ in ImageGrid.Cell(image: image) }
        return ImageGrid(cells: cells, columns: 23, cellSize: 26, gap: 3, rowLabels: ["trained", "conv2 random", "conv1+2 random", "switches only"],
                         columnLabels: ["input"] + (0..<6).map { "1·\($0)" } + (0..<16).map { "2·\($0)" }, bands: bands)
    }

    static let figures: [(String, any Figure)] = [
        ("line chart", Curves.lossPerEpoch),
        ("3 × 3 small charts with one legend", Stack((0..<3).map { _ in
            Row([Curves.shifts(legend: .hidden), Curves.rotations(legend: .hidden), Curves.shifts(legend: .hidden)], spacing: 4)
        }, spacing: 6).withLegend(Legend(entries: Curves.shifts().legendEntries))),
        ("bar chart", Curves.similarity()),
        ("small heat map", HeatMap(values: [[1234, 0], [3, 999]], rowLabels: ["a", "b"], columnLabels: ["c", "d"], rowTitle: "row",
                                   columnTitle: "column", cellSize: 12)),
        ("confusion matrix", HeatMap(values: (0..<10).map { r in (0..<10).map { c in r == c ? 1000 + 13 * r : (r * c) % 7 } },
                                     rowLabels: (0..<10).map(String.init), columnLabels: (0..<10).map(String.init),
                                     rowTitle: "true digit", columnTitle: "predicted digit", scaleLabel: "test images")),
        ("23-column grid in three bands", mapGrid(bands: [7, 8, 8])),
        ("image grid with a colour bar", ImageGrid(cells: (0..<16).map { ImageGrid.Cell(image: image, label: "pool2 · \($0)") },
                                                   columns: 8, cellSize: 42, gap: 8).withColorBar(ColorBar(.viridis(minimum: 0, maximum: 6.38), label: "activation"))),
        ("panels with their own scale and keys", ImageGrid(cells: [
            ImageGrid.Cell(image: image, label: "(b) activation", key: ColorBar(.viridis(minimum: 0, maximum: 182), orientation: .horizontal)),
            ImageGrid.Cell(image: image, label: "(c) projection", note: "±0.42"),
            ImageGrid.Cell(image: image, label: "(e) label", key: Legend.categorical((0..<10).map(String.init), colors: Color.categorical)),
        ], columns: 3, cellSize: 80, gap: 10)),
        ("number grids", NumberGrids(panels: [.init(title: "pooled", rows: 2, columns: 2, values: [0.25, 1.5, 12.75, 0], highlighted: [1])],
                                     cellSize: 14, decimals: 2)),
        ("architecture", ArchitectureDiagram(stages: (0..<14).map { .init(name: "layer\($0)", detail: "16@5×5, pad 2", shape: "16×10×10") })),
    ]

    @Test(arguments: figures)
    func smallestPrintedTextIsAtLeast7pt(_ name: String, _ figure: any Figure) throws {
        let smallest = try #require(figure.smallestPrintedText(in: .column))
        #expect(smallest.size >= PrintArea.minimumTextSize,
                "\"\(smallest.text)\" prints at \(smallest.size) pt (figure \(figure.size.width) × \(figure.size.height) pt, scale \(PrintArea.column.scale(for: figure.size)))")
    }

    /// The same grid in one band is too wide for the column, and its labels print too small: the check can fail.
    @Test func oneBandIsTooSmallInPrint() throws {
        let wide = Self.mapGrid(bands: [])
        let smallest = try #require(wide.smallestPrintedText(in: .column))
        #expect(smallest.size < 6, "one band prints its smallest text at \(smallest.size) pt")
        #expect(PrintArea.column.fits(Self.mapGrid(bands: [7, 8, 8]).size))
    }
}
