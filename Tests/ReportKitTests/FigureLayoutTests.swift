import Foundation
import Testing
@testable import Charts
import Graphics

/// Layouts are what the figures draw, so checking them checks the drawings: no text leaves its
/// figure or covers other text, lines or images. Tolerance: 0.01 pt everywhere.
private let tolerance = 0.01

/// How far `inner` sticks out of `outer` (≤ 0 when inside).
private func overhang(_ inner: Rect, beyond outer: Rect) -> Double {
    max(outer.x - inner.x, outer.y - inner.y, inner.maxX - outer.maxX, inner.maxY - outer.maxY)
}

/// How far two rectangles overlap: the smaller of the overlaps across and down (≤ 0 when apart).
private func overlap(_ a: Rect, _ b: Rect) -> Double {
    min(min(a.maxX, b.maxX) - max(a.x, b.x), min(a.maxY, b.maxY) - max(a.y, b.y))
}

/// Expects every label inside `size` and no two labels overlapping; reports the worst case.
private func expectLabels(_ labels: [PlacedText], inside size: Size, sourceLocation: SourceLocation = #_sourceLocation) {
    let bounds = Rect(0, 0, size.width, size.height)
    if let worst = labels.max(by: { overhang($0.frame, beyond: bounds) < overhang($1.frame, beyond: bounds) }) {
        #expect(overhang(worst.frame, beyond: bounds) <= tolerance,
                "\"\(worst.text)\" at \(worst.frame) sticks out of \(size) by \(overhang(worst.frame, beyond: bounds)) pt",
                sourceLocation: sourceLocation)
    }
    var worst: (Double, String, String) = (-.infinity, "", "")
    for i in labels.indices {
        for j in labels.indices where j > i {
            let amount = overlap(labels[i].frame, labels[j].frame)
            if amount > worst.0 { worst = (amount, labels[i].text, labels[j].text) }
        }
    }
    #expect(worst.0 <= tolerance, "\"\(worst.1)\" and \"\(worst.2)\" overlap by \(worst.0) pt", sourceLocation: sourceLocation)
}

private func expectApart(_ rects: [Rect], from others: [Rect], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let worst = rects.flatMap { a in others.map { b in overlap(a, b) } }.max() ?? -.infinity
    #expect(worst <= tolerance, "\(what) overlap by \(worst) pt", sourceLocation: sourceLocation)
}

private func expectInside(_ rects: [Rect], _ outer: [Rect], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let worst = zip(rects, outer).map { overhang($0, beyond: $1) }.max() ?? -.infinity
    #expect(worst <= tolerance, "\(what) stick out by \(worst) pt", sourceLocation: sourceLocation)
}

private func points(_ n: Int, _ f: (Double) -> Double, from: Double = 0, to: Double = 1) -> [Point] {
    (0..<n).map { i in let x = from + (to - from) * Double(i) / Double(max(n - 1, 1)); return Point(x, f(x)) }
}

struct LineChartLayoutTests {
    static let charts: [(String, LineChart)] = [
        ("loss per epoch", Samples.lossPerEpoch),
        ("accuracy per epoch", Samples.accuracyPerEpoch),
        ("loss per step", Samples.lossPerStep),
        ("small, long labels, large numbers", LineChart(title: "A title wider than usual for such a small chart",
            xLabel: "images seen", yLabel: "a long label for the y axis", series: [
                .init(name: "first", points: points(50, { -3 + 250_000 * pow($0 / 60_000, 2) }, to: 60_000)),
                .init(name: "second, with a long name", points: points(50, { 4 * $0 }, to: 60_000)),
            ], size: Size(240, 150))),
        ("given logarithmic range", LineChart(xLabel: "step", yLabel: "loss", series: [
            .init(name: "loss", points: points(9380, { 2.3 * exp(-$0 / 1000) }, to: 9380)),
        ], y: AxisOptions(range: 0.001...10, logarithmic: true))),
        ("one point", LineChart(xLabel: "epoch", yLabel: "loss", series: [.init(name: "loss", points: [Point(1, 0.5)], markers: true)],
                                x: AxisOptions(values: .integer))),
        ("no series", LineChart(xLabel: "x", yLabel: "y", series: [])),
        ("four series", LineChart(xLabel: "epoch", yLabel: "accuracy (%)", series: (0..<4).map { k in
            .init(name: "learning rate 1e-\(k + 2)", points: points(10, { 90 + Double(k) + 8 * (1 - exp(-$0)) }, from: 1, to: 10))
        }, size: Size(300, 180), x: AxisOptions(values: .integer))),
    ]

    @Test(arguments: charts)
    func labelsStayInsideAndApart(_ name: String, _ chart: LineChart) {
        let layout = Canvas.measuring { chart.layout(on: $0) }
        expectLabels(layout.allLabels, inside: chart.size)
        // Tick labels, axis labels and title sit around the plot, never on it.
        expectApart(layout.labels.map(\.frame), from: [layout.plot], "labels and plot")
        #expect(layout.plot.width > 100 && layout.plot.height > 60, "plot shrank to \(layout.plot)")
        #expect(layout.x.ticks.count >= 2 && layout.y.ticks.count >= 2, "x ticks \(layout.x.ticks), y ticks \(layout.y.ticks)")
        if let legend = layout.legend {
            // Inside the plot where it covers no data, else above it: never over the data.
            let covered = chart.series.flatMap(\.points).map(layout.position).filter(legend.frame.contains)
            #expect(covered.isEmpty, "the legend at \(legend.frame) covers \(covered)")
            if legend.frame.maxY > layout.plot.y { expectInside([legend.frame], [layout.plot], "legend and plot") }
        } else {
            #expect(chart.series.count < 2)
        }
    }

    /// The legend goes where the lines are not: no data point (marker) falls under it.
    @Test(arguments: [Samples.lossPerEpoch, Samples.accuracyPerEpoch])
    func legendAvoidsTheData(_ chart: LineChart) throws {
        let layout = Canvas.measuring { chart.layout(on: $0) }
        let legend = try #require(layout.legend).frame.insetBy(-2, -2)
        let covered = chart.series.flatMap(\.points).map(layout.position).filter(legend.contains)
        #expect(covered.isEmpty, "the legend at \(legend) covers \(covered)")
    }
}

struct HeatMapLayoutTests {
    static let maps: [(String, HeatMap)] = [
        ("confusion matrix", Samples.confusion),
        ("small cells, long labels", HeatMap(values: [[1234, 0, 7, 1], [3, 999, 0, 0], [0, 12, 1000, 5]],
                                             rowLabels: ["cat", "dog", "a long row label"], columnLabels: ["c", "d", "x", "a long one"],
                                             rowTitle: "a row title longer than the grid", columnTitle: "predicted", cellSize: 18)),
    ]

    @Test(arguments: maps)
    func labelsStayInsideAndApart(_ name: String, _ map: HeatMap) {
        let layout = Canvas.measuring { map.layout(on: $0) }
        expectLabels(layout.labels, inside: map.size)
        // The counts come last, one per cell, row by row.
        let counts = layout.labels.suffix(layout.cells.count)
        #expect(counts.map(\.text) == map.values.joined().map { NumberFormat.string(Double($0), decimals: 0) })
        expectInside(counts.map(\.frame), layout.cells.map(\.rect), "counts and their cells")
        expectApart(layout.labels.dropLast(counts.count).map(\.frame), from: [layout.grid], "labels and grid")
    }

    @Test func countsContrastWithTheirCells() {
        let layout = Canvas.measuring { Samples.confusion.layout(on: $0) }
        let counts = layout.labels.suffix(layout.cells.count)
        // Diagonal cells are bright yellow, errors dark: dark text on the first, white on the others.
        for ((cell, label), value) in zip(zip(layout.cells, counts), Samples.confusion.values.joined()) where value > 100 {
            #expect(label.color == .text, "\(value) on \(cell.color)")
        }
        let errors = zip(counts, Samples.confusion.values.joined()).filter { $0.1 > 0 && $0.1 < 10 }
        #expect(!errors.isEmpty && errors.allSatisfy { $0.0.color == .white })
    }
}

struct BarChartLayoutTests {
    static let charts: [(String, BarChart)] = [
        ("class counts", Samples.classCounts),
        ("negative values, no title", BarChart(categories: ["a", "b", "c"], groups: [
            .init(name: "before", values: [-0.5, 1.25, 3]), .init(name: "after", values: [0.25, -2, 1]),
        ], yLabel: "change")),
        ("one group, narrow", BarChart(title: "Only one group", categories: (0...9).map(String.init),
                                       groups: [.init(name: "test", values: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])],
                                       yLabel: "images", size: Size(200, 140))),
    ]

    @Test(arguments: charts)
    func labelsStayInsideAndApart(_ name: String, _ chart: BarChart) {
        let layout = Canvas.measuring { chart.layout(on: $0) }
        expectLabels(layout.allLabels, inside: chart.size)
        let bars = layout.bars.joined()
        expectInside(Array(bars), Array(repeating: layout.plot, count: bars.count), "bars and plot")
        expectApart(layout.allLabels.map(\.frame), from: Array(bars), "labels and bars")
        // Values sit at the ends of their bars, inside the plot; the other labels around it.
        expectInside(layout.values.map(\.frame), Array(repeating: layout.plot, count: layout.values.count), "values and plot")
        expectApart(layout.labels.map(\.frame), from: [layout.plot], "labels and plot")
    }

    @Test func classCountsShowTheirValues() {
        let layout = Canvas.measuring { Samples.classCounts.layout(on: $0) }
        #expect(layout.values.map(\.text) == (0..<10).flatMap { c in Samples.classCounts.groups.map { NumberFormat.string($0.values[c], decimals: 0) } })
    }
}

struct ArchitectureDiagramLayoutTests {
    static let diagrams: [(String, ArchitectureDiagram)] = [
        ("LeNet-5 in two rows", Samples.architecture),
        ("LeNet-5, narrow", ArchitectureDiagram(stages: Samples.architecture.stages, size: Size(240, 150))),
        ("LeNet-5, too small", ArchitectureDiagram(stages: Samples.architecture.stages, size: Size(150, 60))),
        ("three stages", ArchitectureDiagram(stages: Array(Samples.architecture.stages.prefix(3)))),
    ]

    @Test(arguments: diagrams)
    func boxesAndLabelsStayInsideAndApart(_ name: String, _ diagram: ArchitectureDiagram) {
        let layout = Canvas.measuring { diagram.layout(on: $0) }
        var labels = layout.labels
        for i in labels.indices { labels[i].frame = layout.onFigure(labels[i].frame) }
        expectLabels(labels, inside: diagram.size)
        let boxes = layout.boxes.map(layout.onFigure)
        expectInside(boxes, Array(repeating: Rect(0, 0, diagram.size.width, diagram.size.height), count: boxes.count), "boxes")
        for (i, box) in boxes.enumerated() {
            expectApart([box], from: boxes.enumerated().filter { $0.offset != i }.map(\.element), "box \(i) and another")
        }
        // Each box holds its stage's lines: name, then detail and shape when not empty.
        var next = labels.makeIterator()
        for (stage, box) in zip(diagram.stages, boxes) {
            for text in [stage.name, stage.detail, stage.shape] where !text.isEmpty {
                let label = next.next()
                #expect(label?.text == text)
                if let label { expectInside([label.frame], [box], "\"\(text)\" and its box") }
            }
        }
        #expect(layout.arrows.count == diagram.stages.count - 1)
    }

    @Test func lenetFitsInTwoRowsUnshrunk() {
        let layout = Canvas.measuring { Samples.architecture.layout(on: $0) }
        #expect(layout.scale == 1)
        #expect(Set(layout.boxes.map(\.y)).count == 2)
    }
}

struct NumberGridsLayoutTests {
    @Test func numbersSitInTheirCells() {
        let figure = Samples.pooling
        let layout = Canvas.measuring { figure.layout(on: $0) }
        expectLabels(layout.labels, inside: figure.size)
        var numbers = 0
        for label in layout.labels {
            guard let (panel, grid) = zip(figure.panels, layout.grids).first(where: { $0.1.contains(label.frame.center) }) else { continue }
            let column = Int((label.frame.center.x - grid.x) / figure.cellSize), row = Int((label.frame.center.y - grid.y) / figure.cellSize)
            let cell = Rect(grid.x + Double(column) * figure.cellSize, grid.y + Double(row) * figure.cellSize, figure.cellSize, figure.cellSize)
            expectInside([label.frame], [cell.insetBy(1, 1)], "\"\(label.text)\" and its cell")
            #expect(label.text == figure.text(panel.values[row * panel.columns + column]))
            #expect(label.font.bold == panel.highlighted.contains(row * panel.columns + column))
            numbers += 1
        }
        #expect(numbers == figure.panels.map(\.values.count).reduce(0, +))
        let arrows = layout.arrows.map { Rect(min($0.from.x, $0.to.x), $0.from.y - 3, abs($0.to.x - $0.from.x), 6) }
        expectApart(arrows, from: layout.grids, "arrows and grids")
    }

    @Test func zerosAndDecimals() {
        let figure = NumberGrids(panels: [.init(title: "t", rows: 1, columns: 3, values: [0, -0, 0.125])], decimals: 1)
        #expect([0, -0, 0.125, -1.26].map(figure.text) == ["0", "0", "0.1", "-1.3"])
    }
}

struct ImageGridLayoutTests {
    @Test(arguments: [Sample.digits, .misclassified, .conv1Filters, .conv2Filters, .reconstructions])
    func labelsAndImagesStayInsideAndApart(_ sample: Sample) throws {
        let grid = try #require(sample.figure as? ImageGrid ?? (sample.figure as? Keyed)?.content as? ImageGrid)
        let layout = Canvas.measuring { grid.layout(on: $0) }
        #expect(layout.size == grid.size)
        expectLabels(layout.labels, inside: grid.size)
        // The border is drawn centred on each image's edge: half of it lies outside.
        let bordered = layout.images.map { $0.insetBy(-0.25, -0.25) }
        expectInside(bordered, Array(repeating: Rect(0, 0, grid.size.width, grid.size.height), count: bordered.count), "images")
        expectApart(layout.labels.map(\.frame), from: bordered, "labels and images")
        for (i, image) in bordered.enumerated() {
            expectApart([image], from: bordered.enumerated().filter { $0.offset != i }.map(\.element), "image \(i) and another")
        }
        #expect(layout.images.allSatisfy { abs(max($0.width, $0.height) - grid.cellSize) <= tolerance })
    }
}
