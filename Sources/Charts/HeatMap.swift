import Graphics
import Foundation

/// A confusion matrix: one cell per (row, column) pair with its count printed on it, coloured by
/// viridis on log(1 + count), so that a handful of errors stands out from zero as clearly as a
/// thousand correct answers stand out from them. Row labels sit on the left, column labels on
/// top, each under its title; the figure is as large as its contents.
public struct HeatMap: Figure, Sendable {
    public var values: [[Int]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var rowTitle: String
    public var columnTitle: String
    public var cellSize: Double
    public private(set) var size = Size(0, 0)

    public init(values: [[Int]], rowLabels: [String], columnLabels: [String], rowTitle: String, columnTitle: String,
                cellSize: Double = 30) {
        precondition(values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count },
                     "a heat map needs one label per row and per column")
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.cellSize = cellSize
        size = Canvas.measuring { layout(on: $0).size }
    }

    static let labelFont = Font.sans(7.5), titleFont = Font.sans(8)
    private static let margin = 2.0

    struct Layout {
        var size: Size
        var grid: Rect
        /// Every cell's rectangle and colour, row by row.
        var cells: [(rect: Rect, color: Color)]
        /// Titles, row and column labels, and the counts on the cells.
        var labels: [PlacedText]
    }

    func layout(on canvas: Canvas) -> Layout {
        var labels: [PlacedText] = []
        let columnTitleSize = canvas.measure(columnTitle, font: Self.titleFont)
        let rowTitleSize = canvas.measure(rowTitle, font: Self.titleFont)
        // Column labels wider than a cell stand on end, so that neighbours never touch.
        let columnLabelsRotated = columnLabels.contains { canvas.measure($0, font: Self.labelFont).width > cellSize - 2 }
        let columnLabelHeight = columnLabels.map {
            let size = canvas.measure($0, font: Self.labelFont)
            return columnLabelsRotated ? size.width : size.height
        }.max() ?? 0
        let rowLabelWidth = rowLabels.map { canvas.measure($0, font: Self.labelFont).width }.max() ?? 0
        let grid = Rect(Self.margin + rowTitleSize.height + 4 + rowLabelWidth + 4, Self.margin + columnTitleSize.height + 2 + columnLabelHeight + 3,
                        Double(columnLabels.count) * cellSize, Double(rowLabels.count) * cellSize)
        // Titles centred on the grid, unless that would push them out of the figure.
        let columnTitleCentre = Point(max(grid.center.x, Self.margin + columnTitleSize.width / 2), Self.margin)
        labels.append(PlacedText(columnTitle, font: Self.titleFont, at: columnTitleCentre, alignment: .center, on: canvas))
        let rowTitleCentre = Point(Self.margin, max(grid.center.y, Self.margin + rowTitleSize.width / 2))
        labels.append(PlacedText(rowTitle, font: Self.titleFont, at: rowTitleCentre, anchor: .middle, rotated: true, on: canvas))
        for (column, label) in columnLabels.enumerated() {
            labels.append(PlacedText(label, font: Self.labelFont, at: Point(grid.x + (Double(column) + 0.5) * cellSize, grid.y - 3),
                                     alignment: .center, anchor: .bottom, rotated: columnLabelsRotated, on: canvas))
        }
        for (row, label) in rowLabels.enumerated() {
            labels.append(PlacedText(label, font: Self.labelFont, at: Point(grid.x - 4, grid.y + (Double(row) + 0.5) * cellSize),
                                     alignment: .right, anchor: .middle, on: canvas))
        }

        let largest = values.joined().max() ?? 0
        let colormap = Colormap.viridis(minimum: 0, maximum: Float(log1p(Double(max(largest, 1)))))
        let countFont = Self.countFont(fitting: values.joined().map(String.init), in: cellSize - 4, on: canvas)
        var cells: [(rect: Rect, color: Color)] = []
        for (row, counts) in values.enumerated() {
            for (column, count) in counts.enumerated() {
                let rect = Rect(grid.x + Double(column) * cellSize, grid.y + Double(row) * cellSize, cellSize, cellSize)
                let color = colormap.color(Float(log1p(Double(max(count, 0)))))
                cells.append((rect, color))
                labels.append(PlacedText(String(count), font: countFont, color: Self.contrasting(color, faint: count == 0),
                                         at: rect.center, alignment: .center, anchor: .middle, on: canvas))
            }
        }
        let right = max(grid.maxX, labels.map(\.frame.maxX).max()!) + Self.margin
        let bottom = max(grid.maxY, labels.map(\.frame.maxY).max()!) + Self.margin
        return Layout(size: Size(right.rounded(.up), bottom.rounded(.up)), grid: grid, cells: cells, labels: labels)
    }

    /// 7.5 pt, or smaller down to 5 pt until the widest count fits in `width`.
    private static func countFont(fitting texts: [String], in width: Double, on canvas: Canvas) -> Font {
        let widest = texts.max { $0.count < $1.count } ?? ""
        let sizes = stride(from: 7.5, through: 5, by: -0.5).map { Font.sans($0) }
        return sizes.first { canvas.measure(widest, font: $0).width <= width } ?? sizes.last!
    }

    /// White on dark cells, near-black on light ones (by relative luminance); zeros fainter, so
    /// that the counts that matter stand out.
    private static func contrasting(_ background: Color, faint: Bool) -> Color {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        let luminance = 0.2126 * linear(background.red) + 0.7152 * linear(background.green) + 0.0722 * linear(background.blue)
        let color = luminance > 0.18 ? Color.text : Color.white
        return faint ? color.mixed(with: background, 0.45) : color
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        for (rect, color) in layout.cells { canvas.fill(rect, color) }
        // Hairlines between cells keep equal neighbours apart.
        for (rect, _) in layout.cells { canvas.stroke(rect, .white, width: 0.5) }
        for label in layout.labels { label.draw(on: canvas) }
    }
}
