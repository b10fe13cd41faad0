import Graphics

/// Small raster images in a grid, each with an optional label (and a muted note, and a key such
/// as its own colour bar) underneath, optional row labels on the left, column labels on top, and
/// titles over both: sample digits, filters, feature maps, reconstructions. A cell can hold a
/// second image beside the first (the input patch beside its projection). A grid too wide for
/// its page is cut into `bands` of columns, one below another, each with the row labels again,
/// so that it grows taller instead of shrinking. The figure is as large as its contents; pixels
/// stay crisp squares.
public struct ImageGrid: Figure, Sendable, HasDataArea {
    public struct Cell: Sendable {
        public var image: PixelImage
        public var label: String?
        public var labelColor: Color
        /// Drawn right of `image` at the same size, such as the input patch an activation sees.
        public var companion: PixelImage?
        /// A second, muted line under the label, such as the panel's own colour limit ("±0.42").
        public var note: String?
        /// Drawn under the label and note and fitted to the column: a horizontal `ColorBar`
        /// without a length, or a `Legend` (a categorical key), for this panel alone.
        public var key: (any Figure)?

        public init(image: PixelImage, label: String? = nil, labelColor: Color = .text, companion: PixelImage? = nil,
                    note: String? = nil, key: (any Figure)? = nil) {
            self.image = image
            self.label = label
            self.labelColor = labelColor
            self.companion = companion
            self.note = note
            self.key = key
        }
    }

    public let cells: [Cell]
    public let columns: Int
    /// The side of the square each image is fitted into, in points.
    public let cellSize: Double
    /// Space between columns, and between a row's labels and the next row's images.
    public let gap: Double
    public let rowLabels: [String]
    public let columnLabels: [String]
    public let labelFont: Font
    /// Centred above the grid, without widening its columns ("map 3").
    public let title: String?
    /// Says what the rows are, standing on end left of the row labels ("input map").
    public let rowTitle: String?
    /// Says what the columns are, above the column labels ("output map").
    public let columnTitle: String?
    /// Column counts of the bands the columns are cut into, top to bottom (empty: one band).
    public let bands: [Int]
    public let size: Size

    public init(cells: [Cell], columns: Int, cellSize: Double, gap: Double = 6, rowLabels: [String] = [],
                columnLabels: [String] = [], labelFont: Font = .sans(7.5), title: String? = nil, rowTitle: String? = nil,
                columnTitle: String? = nil, bands: [Int] = []) {
        precondition(columns > 0 && !cells.isEmpty, "an image grid needs images and at least one column")
        precondition(bands.isEmpty || (bands.allSatisfy { $0 > 0 } && bands.reduce(0, +) == columns),
                     "bands must split the \(columns) columns, not \(bands)")
        self.cells = cells
        self.columns = columns
        self.cellSize = cellSize
        self.gap = gap
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.labelFont = labelFont
        self.title = title
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.bands = bands
        size = Canvas.measuring { Self.layout(of: ($0, cells, columns, cellSize, gap, rowLabels, columnLabels, labelFont, title,
                                                   rowTitle, columnTitle, bands)).size }
    }

    /// The same grid with the largest images, no larger than these, with which it prints at its
    /// natural size in `area` (labels keep their size; only the images shrink, in quarter points,
    /// to no less than `minimumCellSize`); `bands` are other ways to cut the columns to try, the
    /// one with the largest images kept. A grid that fits no way (its labels are too wide) keeps
    /// the images that print it largest, so shrinking never makes it worse.
    public func fitting(_ area: PrintArea = .column, minimumCellSize: Double = 12, bands choices: [[Int]] = []) -> ImageGrid {
        func grid(_ size: Double, _ bands: [Int]) -> ImageGrid {
            ImageGrid(cells: cells, columns: columns, cellSize: size, gap: gap, rowLabels: rowLabels, columnLabels: columnLabels,
                      labelFont: labelFont, title: title, rowTitle: rowTitle, columnTitle: columnTitle, bands: bands)
        }
        /// Printed scale first, then image size.
        func better(_ a: ImageGrid, _ b: ImageGrid) -> Bool {
            let (sa, sb) = (area.scale(for: a.size), area.scale(for: b.size))
            return sa != sb ? sa > sb : a.cellSize > b.cellSize
        }
        let candidates = ([bands] + choices).map { bands -> ImageGrid in
            // Sizes in quarter points from `cellSize` down; whether a grid fits only improves as
            // its cells shrink, so the largest that fits is found by bisection (each try lays out
            // every label).
            let steps = Int(((cellSize - minimumCellSize) / 0.25).rounded(.down))
            func size(_ k: Int) -> Double { cellSize - 0.25 * Double(k) }
            let first = grid(cellSize, bands)
            if area.fits(first.size) || steps == 0 { return first }
            let last = grid(size(steps), bands)
            // Otherwise the largest cells among those printed at the best scale: the scale at
            // which a grid prints only grows as its cells shrink (it is 1 for every grid that fits).
            let target = area.scale(for: last.size)
            var (tooBig, good) = (0, steps), best = last
            while good - tooBig > 1 {
                let middle = (tooBig + good) / 2, candidate = grid(size(middle), bands)
                if area.scale(for: candidate.size) >= target { (good, best) = (middle, candidate) } else { tooBig = middle }
            }
            return area.scale(for: first.size) >= target ? first : best
        }
        return candidates.min(by: better)!
    }

    /// The border's width, and room around the grid for the half of it outside the images.
    private static let border = 0.5, margin = 1.0, companionGap = 1.0, titleFont = Font.sans(8, bold: true)

    struct Layout {
        var size: Size
        /// Where each cell's image goes, in the order of `cells`.
        var images: [Rect]
        /// Where each cell's companion goes, for the cells that have one.
        var companions: [Int: Rect]
        /// Where each cell's key goes, already fitted, for the cells that have one.
        var keys: [Int: (figure: any Figure, frame: Rect)]
        var labels: [PlacedText]
    }

    /// Everything `layout` needs, so that `init` can measure before `self` is complete.
    private typealias Parts = (canvas: Canvas, cells: [Cell], columns: Int, cellSize: Double, gap: Double, rowLabels: [String],
                               columnLabels: [String], labelFont: Font, title: String?, rowTitle: String?, columnTitle: String?,
                               bands: [Int])

    func layout(on canvas: Canvas) -> Layout {
        Self.layout(of: (canvas, cells, columns, cellSize, gap, rowLabels, columnLabels, labelFont, title, rowTitle, columnTitle, bands))
    }

    var dataArea: Rect {
        let images = Canvas.measuring { canvas in
            let layout = layout(on: canvas)
            return layout.images + layout.companions.values
        }
        let x = images.map(\.x).min()!, y = images.map(\.y).min()!
        return Rect(x, y, images.map(\.maxX).max()! - x, images.map(\.maxY).max()! - y)
    }

    private static func layout(of p: Parts) -> Layout {
        let canvas = p.canvas, font = p.labelFont
        func measure(_ text: String, _ font: Font = font) -> Size { canvas.measure(text, font: font) }
        let rows = (p.cells.count + p.columns - 1) / p.columns
        let paired = p.cells.contains { $0.companion != nil }
        let imageWidth = paired ? 2 * p.cellSize + companionGap : p.cellSize
        let widest = (p.cells.compactMap(\.label) + p.cells.compactMap(\.note) + p.columnLabels).map { measure($0).width }.max() ?? 0
        // Columns widen for labels longer than an image, so that neighbouring labels never touch.
        let columnWidth = max(imageWidth, widest + 2)
        let labelHeight = p.cells.compactMap(\.label).map { measure($0).height + 2 }.max() ?? 0
        let noteHeight = p.cells.compactMap(\.note).map { measure($0).height + (labelHeight > 0 ? 0 : 2) }.max() ?? 0
        let keys = p.cells.map { $0.key.map { fitted($0, width: columnWidth) } }
        let keyHeight = keys.compactMap { $0.map { $0.size.height + 3 } }.max() ?? 0
        let rowHeight = p.cellSize + labelHeight + noteHeight + keyHeight
        let columnLabelHeight = p.columnLabels.isEmpty ? 0 : p.columnLabels.map { measure($0).height }.max()! + 2
        let rowLabelWidth = p.rowLabels.map { measure($0).width + 4 }.max() ?? 0
        let rowTitleWidth = p.rowTitle.map { measure($0).height + 4 } ?? 0
        let left = Self.margin + rowTitleWidth + rowLabelWidth
        let bandSizes = p.bands.isEmpty ? [p.columns] : p.bands
        let bandStarts = bandSizes.indices.map { bandSizes[..<$0].reduce(0, +) }
        let bandGap = 2 * p.gap + 4
        let bandHeight = columnLabelHeight + Double(rows) * (rowHeight + p.gap) - p.gap
        let usedColumns = min(p.columns, max(p.cells.count, p.columnLabels.count))
        let bandWidth = bandSizes.map { Double(min($0, usedColumns)) * (columnWidth + p.gap) - p.gap }.max()!

        var labels: [PlacedText] = []
        var top = Self.margin
        let imagesCentre = left + bandWidth / 2
        for (text, textFont) in [(p.title, Self.titleFont), (p.columnTitle, font)] {
            guard let text else { continue }
            let width = measure(text, textFont).width
            labels.append(PlacedText(text, font: textFont, color: textFont == font ? .muted : .text,
                                     at: Point(max(imagesCentre, Self.margin + width / 2), top), alignment: .center, on: canvas))
            top = labels.last!.frame.maxY + 2
        }
        /// Where column `column` starts, and the top of its band.
        func origin(_ column: Int) -> (x: Double, bandTop: Double) {
            let band = bandStarts.lastIndex { $0 <= column }!
            return (left + Double(column - bandStarts[band]) * (columnWidth + p.gap), top + Double(band) * (bandHeight + bandGap))
        }
        func rowY(_ row: Int, bandTop: Double) -> Double { bandTop + columnLabelHeight + Double(row) * (rowHeight + p.gap) }

        var images: [Rect] = [], companions: [Int: Rect] = [:], keyFrames: [Int: (figure: any Figure, frame: Rect)] = [:]
        for (index, cell) in p.cells.enumerated() {
            let (row, column) = index.quotientAndRemainder(dividingBy: p.columns)
            let (x, bandTop) = origin(column)
            let y = rowY(row, bandTop: bandTop)
            let scale = p.cellSize / Double(max(cell.image.width, cell.image.height))
            let (width, height) = (Double(cell.image.width) * scale, Double(cell.image.height) * scale)
            let centreX = x + columnWidth / 2
            let imageLeft = centreX - imageWidth / 2
            images.append(Rect(imageLeft + (p.cellSize - width) / 2, y + (p.cellSize - height) / 2, width, height))
            if let companion = cell.companion {
                let scale = p.cellSize / Double(max(companion.width, companion.height))
                let (width, height) = (Double(companion.width) * scale, Double(companion.height) * scale)
                companions[index] = Rect(imageLeft + p.cellSize + companionGap + (p.cellSize - width) / 2,
                                         y + (p.cellSize - height) / 2, width, height)
            }
            if let label = cell.label {
                labels.append(PlacedText(label, font: font, color: cell.labelColor, at: Point(centreX, y + p.cellSize + 2),
                                         alignment: .center, on: canvas))
            }
            if let note = cell.note {
                labels.append(PlacedText(note, font: font, color: .muted,
                                         at: Point(centreX, y + p.cellSize + labelHeight + (labelHeight > 0 ? 0 : 2)),
                                         alignment: .center, on: canvas))
            }
            if let key = keys[index] {
                keyFrames[index] = (key, Rect(centreX - key.size.width / 2, y + p.cellSize + labelHeight + noteHeight + 3,
                                              key.size.width, key.size.height))
            }
        }
        for band in bandSizes.indices {
            let bandTop = top + Double(band) * (bandHeight + bandGap)
            for (row, label) in p.rowLabels.prefix(rows).enumerated() {
                labels.append(PlacedText(label, font: font, color: .muted,
                                         at: Point(left - 4, rowY(row, bandTop: bandTop) + p.cellSize / 2),
                                         alignment: .right, anchor: .middle, on: canvas))
            }
            for column in bandStarts[band]..<(bandStarts[band] + bandSizes[band]) where column < p.columnLabels.count {
                let x = origin(column).x
                labels.append(PlacedText(p.columnLabels[column], font: font, color: .muted, at: Point(x + columnWidth / 2, bandTop),
                                         alignment: .center, on: canvas))
            }
        }
        let bottom = top + Double(bandSizes.count) * (bandHeight + bandGap) - bandGap
        if let rowTitle = p.rowTitle {
            let firstRow = top + columnLabelHeight
            labels.append(PlacedText(rowTitle, font: font, color: .muted,
                                     at: Point(Self.margin, max((firstRow + bottom) / 2, Self.margin + measure(rowTitle).width / 2)),
                                     anchor: .middle, rotated: true, on: canvas))
        }
        let width = max(left + bandWidth, labels.map(\.frame.maxX).max() ?? 0) + Self.margin
        let height = max(bottom, labels.map(\.frame.maxY).max() ?? 0) + Self.margin
        return Layout(size: Size(width.rounded(.up), height.rounded(.up)), images: images, companions: companions,
                      keys: keyFrames, labels: labels)
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        for (index, (cell, rect)) in zip(cells, layout.images).enumerated() {
            canvas.image(cell.image, in: rect)
            canvas.stroke(rect, Color(hex: 0xAAAAAA), width: Self.border)
            if let companion = cell.companion, let frame = layout.companions[index] {
                canvas.image(companion, in: frame)
                canvas.stroke(frame, Color(hex: 0xAAAAAA), width: Self.border)
            }
        }
        for (_, key) in layout.keys.sorted(by: { $0.key < $1.key }) {
            canvas.isolated {
                canvas.translate(key.frame.x, key.frame.y)
                key.figure.draw(on: canvas)
            }
        }
        for label in layout.labels { label.draw(on: canvas) }
    }
}
