import Graphics
/// Small raster images in a grid, each with an optional label underneath, optional row labels on
/// the left and column labels on top: sample digits, filters, feature maps, reconstructions.
/// The figure is as large as its contents; pixels stay crisp squares.
public struct ImageGrid: Figure, Sendable {
    public struct Cell: Sendable {
        public var image: PixelImage
        public var label: String?
        public var labelColor: Color

        public init(image: PixelImage, label: String? = nil, labelColor: Color = .text) {
            self.image = image
            self.label = label
            self.labelColor = labelColor
        }
    }

    public var cells: [Cell]
    public var columns: Int
    /// The side of the square each image is fitted into, in points.
    public var cellSize: Double
    /// Space between columns, and between a row's labels and the next row's images.
    public var gap: Double
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var labelFont: Font
    public private(set) var size = Size(0, 0)

    public init(cells: [Cell], columns: Int, cellSize: Double, gap: Double = 6, rowLabels: [String] = [],
                columnLabels: [String] = [], labelFont: Font = .sans(7)) {
        precondition(columns > 0 && !cells.isEmpty, "an image grid needs images and at least one column")
        self.cells = cells
        self.columns = columns
        self.cellSize = cellSize
        self.gap = gap
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.labelFont = labelFont
        size = Canvas.measuring { layout(on: $0).size }
    }

    /// The border's width, and room around the grid for the half of it outside the images.
    private static let border = 0.5, margin = 1.0

    struct Layout {
        var size: Size
        /// Where each cell's image goes, in the order of `cells`.
        var images: [Rect]
        var labels: [PlacedText]
    }

    func layout(on canvas: Canvas) -> Layout {
        let rows = (cells.count + columns - 1) / columns
        let widest = (cells.compactMap(\.label) + columnLabels).map { canvas.measure($0, font: labelFont).width }.max() ?? 0
        // Columns widen for labels longer than an image, so that neighbouring labels never touch.
        let columnWidth = max(cellSize, widest + 2)
        let lineHeight = canvas.measure("Ag", font: labelFont).height
        let labelHeight = cells.contains { $0.label != nil } ? 2 + lineHeight : 0
        let rowLabelWidth = rowLabels.map { canvas.measure($0, font: labelFont).width + 4 }.max() ?? 0
        let left = Self.margin + rowLabelWidth
        let top = Self.margin + (columnLabels.isEmpty ? 0 : lineHeight + 2)
        func columnX(_ column: Int) -> Double { left + Double(column) * (columnWidth + gap) }
        func rowY(_ row: Int) -> Double { top + Double(row) * (cellSize + labelHeight + gap) }

        var images: [Rect] = [], labels: [PlacedText] = []
        for (index, cell) in cells.enumerated() {
            let (row, column) = index.quotientAndRemainder(dividingBy: columns)
            let scale = cellSize / Double(max(cell.image.width, cell.image.height))
            let (width, height) = (Double(cell.image.width) * scale, Double(cell.image.height) * scale)
            let centreX = columnX(column) + columnWidth / 2
            images.append(Rect(centreX - width / 2, rowY(row) + (cellSize - height) / 2, width, height))
            if let label = cell.label {
                labels.append(PlacedText(label, font: labelFont, color: cell.labelColor,
                                         at: Point(centreX, rowY(row) + cellSize + 2), alignment: .center, on: canvas))
            }
        }
        for (row, label) in rowLabels.prefix(rows).enumerated() {
            labels.append(PlacedText(label, font: labelFont, color: .muted, at: Point(left - 4, rowY(row) + cellSize / 2),
                                     alignment: .right, anchor: .middle, on: canvas))
        }
        for (column, label) in columnLabels.prefix(columns).enumerated() {
            labels.append(PlacedText(label, font: labelFont, color: .muted, at: Point(columnX(column) + columnWidth / 2, Self.margin),
                                     alignment: .center, on: canvas))
        }
        let usedColumns = min(columns, max(cells.count, columnLabels.count))
        let width = columnX(usedColumns) - gap + Self.margin
        let height = rowY(rows) - gap + Self.margin
        return Layout(size: Size(width.rounded(.up), height.rounded(.up)), images: images, labels: labels)
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        for (cell, rect) in zip(cells, layout.images) {
            canvas.image(cell.image, in: rect)
            canvas.stroke(rect, Color(hex: 0xAAAAAA), width: Self.border)
        }
        for label in layout.labels { label.draw(on: canvas) }
    }
}
