import Foundation
import Testing
import Graphics
@testable import Charts

/// A legend never covers data: its box, as drawn, intersects no line, marker, bar or whisker
/// (the figure's `DrawingRecord`, exact segment–box tests); charts sharing one legend draw one.
struct LegendTests {
    static let charts: [(String, any Figure)] = [
        ("V-shaped curves filling a small plot", Curves.shifts()),
        ("probabilities in every corner", Curves.rotations()),
        ("loss per epoch with markers", Curves.lossPerEpoch),
        ("bars with whiskers", Curves.similarity()),
        ("legend on the right", Curves.shifts(size: Size(300, 160), legend: .right)),
        ("legend above", Curves.rotations(size: Size(300, 160), legend: .above)),
    ]

    @Test(arguments: charts)
    func legendCoversNoData(_ name: String, _ chart: any Figure) {
        let record = chart.recording()
        #expect(record.marks.contains { $0.role == .legend }, "no legend drawn")
        #expect(record.marks.contains { $0.role == .data }, "no data recorded")
        let hits = record.dataUnderLegends()
        #expect(hits.isEmpty, "the legend at \(hits.first?.legend ?? Rect(0, 0, 0, 0)) covers \(hits.count) marks, first \(String(describing: hits.first?.data))")
    }

    /// When every place inside the plot would hide a line, the legend goes above the plot.
    @Test func fullPlotPutsTheLegendAbove() throws {
        let layout = Canvas.measuring { Curves.shifts().layout(on: $0) }
        let legend = try #require(layout.legend)
        #expect(legend.frame.maxY <= layout.plot.y, "legend \(legend.frame), plot \(layout.plot)")
    }

    /// Where a corner is free, the legend sits in it, framed, and the plot keeps its height.
    @Test func freeCornerKeepsTheLegendInside() throws {
        let layout = Canvas.measuring { Curves.lossPerEpoch.layout(on: $0) }
        let legend = try #require(layout.legend)
        #expect(legend.framed && legend.frame.x >= layout.plot.x && legend.frame.maxY <= layout.plot.maxY)
    }

    /// A 3 × 3 grid of charts, each without a legend, under one legend: one legend box, over no data.
    @Test func gridSharesOneLegend() {
        let rows = (0..<3).map { _ in Row([Curves.shifts(legend: .hidden), Curves.rotations(legend: .hidden), Curves.shifts(legend: .hidden)], spacing: 4) }
        let figure = Stack(rows, spacing: 6).withLegend(Legend(entries: Curves.shifts().legendEntries))
        let record = figure.recording()
        #expect(record.marks.filter { $0.role == .legend }.count == 1)
        #expect(record.dataUnderLegends().isEmpty)
        #expect(record.texts.filter { $0.text == "digit 0" }.count == 1, "the key is drawn once")
    }

    @Test func barChartsShareOneLegendWithTheWhisker() {
        let figure = Stack([Curves.similarity(legend: .hidden), Curves.similarity(legend: .hidden)], spacing: 6)
            .withLegend(Legend(entries: Curves.similarity().legendEntries))
        let names = figure.recording().texts.map(\.text)
        #expect(names.filter { $0 == "interquartile range" }.count == 1 && names.filter { $0 == "guided" }.count == 1)
    }

    /// Rows wrap at their width; a categorical key gives each name its colour.
    @Test func legendsWrapAndKeysColour() {
        let key = Legend.categorical((0..<10).map(String.init), colors: Color.categorical, title: "label", maxWidth: 80)
        #expect(key.size.width <= 80)
        let layout = Canvas.measuring { key.place(at: Point(0, 0), on: $0) }
        #expect(Set(layout.swatches.map(\.rect.y)).count > 1, "ten entries in 80 pt need several rows")
        #expect(layout.swatches.map(\.swatch) == Color.categorical.map { .box($0) })
    }
}
