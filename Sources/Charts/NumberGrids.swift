import Graphics
import Foundation

/// Small matrices of numbers side by side, joined by labelled arrows: worked examples such as
/// max pooling recording its switches and unpooling putting values back where they came from.
/// Highlighted cells (the maxima) get a tinted background and bold numbers; zeros are grey. The
/// figure is as large as its contents.
public struct NumberGrids: Figure, Sendable {
    public struct Panel: Sendable {
        public var title: String
        public var rows: Int
        public var columns: Int
        /// Row-major, `rows × columns` of them.
        public var values: [Float]
        /// Indices into `values` to emphasise.
        public var highlighted: Set<Int>
        public var caption: String?
        /// Draws thicker lines every `windowSize` cells, to show pooling windows.
        public var windowSize: Int?

        public init(title: String, rows: Int, columns: Int, values: [Float], highlighted: Set<Int> = [],
                    caption: String? = nil, windowSize: Int? = nil) {
            precondition(rows > 0 && columns > 0 && values.count == rows * columns,
                         "a \(rows) × \(columns) panel needs \(rows * columns) values")
            self.title = title
            self.rows = rows
            self.columns = columns
            self.values = values
            self.highlighted = highlighted
            self.caption = caption
            self.windowSize = windowSize
        }
    }

    public let panels: [Panel]
    /// Labels of the arrows between panels, one fewer than panels (or none, for bare arrows).
    public let arrows: [String]
    /// The side of a cell: as given, or larger if the widest number needs it at 7 pt.
    public let cellSize: Double
    public let decimals: Int
    public private(set) var size = Size(0, 0)

    public init(panels: [Panel], arrows: [String] = [], cellSize: Double = 22, decimals: Int = 2) {
        precondition(!panels.isEmpty && (arrows.isEmpty || arrows.count == panels.count - 1),
                     "number grids need panels, and one arrow label fewer than panels (or none)")
        self.panels = panels
        self.arrows = arrows
        self.decimals = decimals
        // Cells grow rather than their numbers shrinking below 7 pt.
        let widest = panels.flatMap(\.values).map { Self.text($0, decimals: decimals) }.max { $0.count < $1.count } ?? ""
        self.cellSize = max(cellSize, (Canvas.measuring { $0.measure(widest, font: Font.sans(7, bold: true)).width } + 3).rounded(.up))
        size = Canvas.measuring { layout(on: $0).size }
    }

    static let titleFont = Font.sans(8, bold: true), captionFont = Font.sans(7.5), arrowFont = Font.sans(7.5)
    private static let margin = 2.0, minimumArrowLength = 30.0

    struct Layout {
        var size: Size
        /// Each panel's grid, in the order of `panels`.
        var grids: [Rect]
        /// From each panel to the next.
        var arrows: [(from: Point, to: Point)]
        /// Titles, captions, arrow labels and the numbers in the cells.
        var labels: [PlacedText]
    }

    /// `value` with `decimals` places; zero as a plain "0".
    func text(_ value: Float) -> String { Self.text(value, decimals: decimals) }

    static func text(_ value: Float, decimals: Int) -> String {
        value == 0 ? "0" : String(format: "%.\(decimals)f", value)
    }

    func layout(on canvas: Canvas) -> Layout {
        let numberFont = numberFont(on: canvas)
        let titleHeight = canvas.measure("Ag", font: Self.titleFont).height
        let captionHeight = panels.contains { $0.caption != nil } ? canvas.measure("Ag", font: Self.captionFont).height + 3 : 0
        let gridBand = Double(panels.map(\.rows).max()!) * cellSize
        let middle = Self.margin + titleHeight + 3 + gridBand / 2

        var grids: [Rect] = [], labels: [PlacedText] = [], arrowLines: [(from: Point, to: Point)] = []
        var x = Self.margin
        for (index, panel) in panels.enumerated() {
            let arrowLabel = index == 0 || arrows.isEmpty ? "" : arrows[index - 1]
            if index > 0 { x += max(Self.minimumArrowLength, canvas.measure(arrowLabel, font: Self.arrowFont).width + 10) }
            let gridWidth = Double(panel.columns) * cellSize, gridHeight = Double(panel.rows) * cellSize
            let width = max(gridWidth, canvas.measure(panel.title, font: Self.titleFont).width,
                            panel.caption.map { canvas.measure($0, font: Self.captionFont).width } ?? 0)
            let grid = Rect(x + (width - gridWidth) / 2, middle - gridHeight / 2, gridWidth, gridHeight)
            grids.append(grid)
            labels.append(PlacedText(panel.title, font: Self.titleFont, at: Point(grid.center.x, grid.y - 3),
                                     alignment: .center, anchor: .bottom, on: canvas))
            if let caption = panel.caption {
                labels.append(PlacedText(caption, font: Self.captionFont, color: .muted, at: Point(grid.center.x, grid.maxY + 3),
                                         alignment: .center, on: canvas))
            }
            for (i, value) in panel.values.enumerated() {
                let (row, column) = i.quotientAndRemainder(dividingBy: panel.columns)
                let centre = Point(grid.x + (Double(column) + 0.5) * cellSize, grid.y + (Double(row) + 0.5) * cellSize)
                var font = numberFont
                font.bold = panel.highlighted.contains(i)
                labels.append(PlacedText(text(value), font: font, color: value == 0 ? Color(hex: 0x999999) : .text,
                                         at: centre, alignment: .center, anchor: .middle, on: canvas))
            }
            if index > 0 {
                // From grid to grid, with its label centred above.
                let from = Point(grids[index - 1].maxX + 4, middle), to = Point(grid.x - 4, middle)
                arrowLines.append((from, to))
                if !arrowLabel.isEmpty {
                    labels.append(PlacedText(arrowLabel, font: Self.arrowFont, color: .muted, at: Point((from.x + to.x) / 2, middle - 3),
                                             alignment: .center, anchor: .bottom, on: canvas))
                }
            }
            x += width
        }
        let height = middle + gridBand / 2 + captionHeight + Self.margin
        return Layout(size: Size((x + Self.margin).rounded(.up), height.rounded(.up)), grids: grids, arrows: arrowLines, labels: labels)
    }

    /// 7.5 pt, or 7 pt if the widest number, in bold, fits in a cell only so.
    private func numberFont(on canvas: Canvas) -> Font {
        let widest = panels.flatMap(\.values).map(text).max { $0.count < $1.count } ?? ""
        let sizes = [Font.sans(7.5), Font.sans(7)]
        return sizes.first { canvas.measure(widest, font: Font.sans($0.size, bold: true)).width <= cellSize - 3 } ?? sizes.last!
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        let tint = Color.series[1].mixed(with: .white, 0.8), thin = Color(hex: 0xBBBBBB)
        for (panel, grid) in zip(panels, layout.grids) {
            for i in panel.highlighted.sorted() where panel.values.indices.contains(i) {
                let (row, column) = i.quotientAndRemainder(dividingBy: panel.columns)
                canvas.fill(Rect(grid.x + Double(column) * cellSize, grid.y + Double(row) * cellSize, cellSize, cellSize), tint)
            }
            // Thin lines between cells, then thicker ones on the edges of pooling windows.
            func isWindowEdge(_ i: Int) -> Bool { panel.windowSize.map { i % $0 == 0 } ?? false }
            for thick in [false, true] {
                let (color, width) = thick ? (Color.muted, 1.2) : (thin, 0.5)
                for row in 1..<panel.rows where isWindowEdge(row) == thick {
                    let y = grid.y + Double(row) * cellSize
                    canvas.strokeLine([Point(grid.x, y), Point(grid.maxX, y)], color, width: width)
                }
                for column in 1..<panel.columns where isWindowEdge(column) == thick {
                    let x = grid.x + Double(column) * cellSize
                    canvas.strokeLine([Point(x, grid.y), Point(x, grid.maxY)], color, width: width)
                }
            }
            canvas.stroke(grid, .muted, width: 1)
        }
        for (from, to) in layout.arrows { canvas.arrow(from: from, to: to, .muted, width: 0.8, head: 4.5) }
        for label in layout.labels { label.draw(on: canvas) }
    }
}
