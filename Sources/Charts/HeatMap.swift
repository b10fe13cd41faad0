import Graphics
import Foundation

/// A confusion matrix: one cell per (row, column) pair with its count printed on it ("1,131"),
/// coloured by viridis on a logarithmic scale from 1 to the largest count, so that a handful of
/// errors stands out as clearly as a thousand correct answers; zeros, which a logarithmic scale
/// cannot place, are light grey. A colour bar on the right shows the scale (decades, and a grey
/// box for 0). Row labels sit on the left, column labels on top, each under its title; the
/// figure is as large as its contents.
public struct HeatMap: Figure, Sendable, HasDataArea {
    public let values: [[Int]]
    public let rowLabels: [String]
    public let columnLabels: [String]
    public let rowTitle: String
    public let columnTitle: String
    /// The side of a cell: as given, or larger if the widest count needs it at 7 pt.
    public let cellSize: Double
    /// The colour bar's label; nil for no colour bar.
    public let scaleLabel: String?
    public private(set) var size = Size(0, 0)

    public init(values: [[Int]], rowLabels: [String], columnLabels: [String], rowTitle: String, columnTitle: String,
                cellSize: Double = 30, scaleLabel: String? = "count") {
        precondition(values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count },
                     "a heat map needs one label per row and per column")
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        // Cells grow rather than their counts shrinking below 7 pt.
        let widest = values.joined().map { NumberFormat.string(Double($0), decimals: 0) }.max { $0.count < $1.count } ?? ""
        self.cellSize = max(cellSize, (Canvas.measuring { $0.measure(widest, font: .sans(7)).width } + 4).rounded(.up))
        self.scaleLabel = scaleLabel
        size = Canvas.measuring { layout(on: $0).size }
    }

    static let labelFont = Font.sans(7.5), titleFont = Font.sans(8)
    private static let margin = 2.0, barGap = 10.0
    /// The colour of a zero count.
    static let zeroColor = Color(hex: 0xEEEEEE)

    /// Viridis from 1 to the largest count (at least 10, so that one decade shows).
    var colormap: Colormap { .logViridis(minimum: 1, maximum: Float(max(values.joined().max() ?? 0, 10))) }

    var dataArea: Rect { Canvas.measuring { layout(on: $0).grid } }

    struct Layout {
        var size: Size
        var grid: Rect
        /// Every cell's rectangle and colour, row by row.
        var cells: [(rect: Rect, color: Color)]
        /// Titles, row and column labels, and the counts on the cells.
        var labels: [PlacedText]
        var colorBar: (bar: ColorBar, frame: Rect)?
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
        let grid = Rect(Self.margin + rowTitleSize.height + 4 + rowLabelWidth + 4,
                        Self.margin + columnTitleSize.height + 2 + columnLabelHeight + 3,
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

        let colormap = colormap
        let texts = values.joined().map { NumberFormat.string(Double($0), decimals: 0) }
        let countFont = Self.countFont(fitting: texts, in: cellSize - 4, on: canvas)
        var cells: [(rect: Rect, color: Color)] = []
        for (row, counts) in values.enumerated() {
            for (column, count) in counts.enumerated() {
                let rect = Rect(grid.x + Double(column) * cellSize, grid.y + Double(row) * cellSize, cellSize, cellSize)
                let color = count > 0 ? colormap.color(Float(count)) : Self.zeroColor
                cells.append((rect, color))
                labels.append(PlacedText(NumberFormat.string(Double(count), decimals: 0), font: countFont,
                                         color: count > 0 ? Self.contrasting(color) : Color(hex: 0x8A8A8A),
                                         at: rect.center, alignment: .center, anchor: .middle, on: canvas))
            }
        }
        var right = max(grid.maxX, labels.map(\.frame.maxX).max()!)
        var colorBar: (bar: ColorBar, frame: Rect)?
        if let scaleLabel {
            let unsized = ColorBar(colormap, label: scaleLabel, extras: [Legend.Entry(name: "0", swatch: .box(Self.zeroColor))])
            let bar = unsized.resized(to: grid.height - (unsized.size.height - ColorBar.defaultLength))
            colorBar = (bar, Rect(grid.maxX + Self.barGap, grid.y, bar.size.width, bar.size.height))
            right = max(right, colorBar!.frame.maxX)
        }
        let bottom = max(grid.maxY, labels.map(\.frame.maxY).max()!, colorBar?.frame.maxY ?? 0) + Self.margin
        return Layout(size: Size((right + Self.margin).rounded(.up), bottom.rounded(.up)), grid: grid, cells: cells, labels: labels,
                      colorBar: colorBar)
    }

    /// 7.5 pt, or 7 pt when the widest count does not fit in `width` otherwise.
    private static func countFont(fitting texts: [String], in width: Double, on canvas: Canvas) -> Font {
        let widest = texts.max { $0.count < $1.count } ?? ""
        return canvas.measure(widest, font: .sans(7.5)).width <= width ? .sans(7.5) : .sans(7)
    }

    /// White on dark cells, near-black on light ones (by relative luminance).
    private static func contrasting(_ background: Color) -> Color {
        background.luminance > 0.18 ? .text : .white
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        canvas.drawing(as: .data) {
            for (rect, color) in layout.cells { canvas.fill(rect, color) }
        }
        // Hairlines between cells keep equal neighbours apart.
        for (rect, _) in layout.cells { canvas.stroke(rect, .white, width: 0.5) }
        for label in layout.labels { label.draw(on: canvas) }
        if let (bar, frame) = layout.colorBar {
            canvas.isolated {
                canvas.translate(frame.x, frame.y)
                bar.draw(on: canvas)
            }
        }
    }
}
