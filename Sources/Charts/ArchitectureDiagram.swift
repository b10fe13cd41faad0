import Graphics
/// A network as a row of rounded boxes joined by arrows, one box per stage with its name in bold
/// and what it does and what it outputs below. Stages that do not fit in one row continue on the
/// next ones, reached by an arrow that bends back to the left, like a line of text; if even that
/// does not fit, the whole drawing shrinks.
public struct ArchitectureDiagram: Figure, Sendable {
    public struct Stage: Sendable {
        public var name: String
        /// What the stage does, e.g. "6@5×5, pad 2".
        public var detail: String
        /// Its output shape, e.g. "6×28×28".
        public var shape: String

        public init(name: String, detail: String, shape: String) {
            self.name = name
            self.detail = detail
            self.shape = shape
        }
    }

    public var stages: [Stage]
    public var size: Size

    public init(stages: [Stage], size: Size = Size(463, 150)) {
        precondition(!stages.isEmpty, "a diagram needs stages")
        self.stages = stages
        self.size = size
    }

    static let nameFont = Font.sans(8, bold: true), detailFont = Font.sans(7.5)
    private static let margin = 3.0, padding = 5.0, arrowGap = 12.0, rowGap = 18.0

    struct Layout {
        /// The drawing at its natural size is scaled by `scale` (at most 1, when it would not
        /// otherwise fit) and moved by `offset` to sit in the middle of the figure.
        var scale: Double
        var offset: Point
        var boxes: [Rect]
        var labels: [PlacedText]
        /// Polylines from each box to the next, ending in an arrowhead.
        var arrows: [[Point]]

        /// A rectangle of the natural-size drawing in figure coordinates.
        func onFigure(_ r: Rect) -> Rect {
            Rect(offset.x + r.x * scale, offset.y + r.y * scale, r.width * scale, r.height * scale)
        }
    }

    func layout(on canvas: Canvas) -> Layout {
        let lines = stages.map { stage in
            [(stage.name, Self.nameFont, Color.text), (stage.detail, Self.detailFont, Color.text),
             (stage.shape, Self.detailFont, Color.muted)]
                .filter { !$0.0.isEmpty }
        }
        let naturalWidths = lines.map { ($0.map { canvas.measure($0.0, font: $0.1).width }.max() ?? 0) + 2 * Self.padding }
        let boxHeight = lines.map { $0.map { canvas.measure($0.0, font: $0.1).height }.reduce(0, +) }.max()! + 2 * Self.padding
        let available = Size(size.width - 2 * Self.margin, size.height - 2 * Self.margin)
        /// The stages split into `rows` rows of equal length (but the last).
        func split(_ rows: Int) -> [Range<Int>] {
            let perRow = (stages.count + rows - 1) / rows
            return stride(from: 0, to: stages.count, by: perRow).map { $0..<min($0 + perRow, stages.count) }
        }
        func width(_ row: Range<Int>, extra: Double) -> Double {
            row.map { naturalWidths[$0] + extra }.reduce(0, +) + Double(row.count - 1) * Self.arrowGap
        }
        func height(_ rows: Int) -> Double { Double(rows) * boxHeight + Double(rows - 1) * Self.rowGap }
        func scale(_ rows: Int) -> Double {
            min(1, available.width / split(rows).map { width($0, extra: 0) }.max()!, available.height / height(rows))
        }
        // The number of rows that needs the least shrinking, and of those the fewest.
        let rowCount = (1...stages.count).max { scale($0) < scale($1) }!
        let rows = split(rowCount), scale = scale(rowCount)
        // Boxes grow alike until the widest row fills the width, but not much beyond their text.
        let extra = scale < 1 ? 0 : min(30, rows.map { (available.width - width($0, extra: 0)) / Double($0.count) }.min()!)

        var boxes: [Rect] = [], labels: [PlacedText] = []
        for (row, stageIndices) in rows.enumerated() {
            var x = 0.0
            for index in stageIndices {
                let box = Rect(x, Double(row) * (boxHeight + Self.rowGap), naturalWidths[index] + extra, boxHeight)
                boxes.append(box)
                x = box.maxX + Self.arrowGap
                let textHeight = lines[index].map { canvas.measure($0.0, font: $0.1).height }.reduce(0, +)
                var y = box.center.y - textHeight / 2
                for (text, font, color) in lines[index] {
                    labels.append(PlacedText(text, font: font, color: color, at: Point(box.center.x, y), alignment: .center, on: canvas))
                    y = labels.last!.frame.maxY
                }
            }
        }
        let arrows = zip(boxes, boxes.dropFirst()).map { a, b in
            if a.y == b.y { return [Point(a.maxX + 1, a.center.y), Point(b.x - 1, b.center.y)] }
            let bend = a.maxY + Self.rowGap / 2
            return [Point(a.center.x, a.maxY + 1), Point(a.center.x, bend), Point(b.center.x, bend), Point(b.center.x, b.y - 1)]
        }
        let extent = Size(rows.map { width($0, extra: extra) }.max()!, height(rowCount))
        let offset = Point((size.width - extent.width * scale) / 2, (size.height - extent.height * scale) / 2)
        return Layout(scale: scale, offset: offset, boxes: boxes, labels: labels, arrows: arrows)
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        canvas.isolated {
            canvas.translate(layout.offset.x, layout.offset.y)
            canvas.scale(layout.scale, layout.scale)
            for box in layout.boxes {
                canvas.roundedRectangle(box, radius: 4)
                canvas.setColor(Color(hex: 0xEEF3F8))
                canvas.fill()
                canvas.roundedRectangle(box, radius: 4)
                canvas.setColor(Color(hex: 0x8DA0B3))
                canvas.setLineWidth(0.8)
                canvas.stroke()
            }
            for arrow in layout.arrows {
                if arrow.count > 2 { canvas.strokeLine(Array(arrow.dropLast()), .muted, width: 0.8) }
                canvas.arrow(from: arrow[arrow.count - 2], to: arrow.last!, .muted, width: 0.8, head: 4)
            }
            for label in layout.labels { label.draw(on: canvas) }
        }
    }
}
