import Graphics

/// Column widths and laid-out cells of a table. Natural widths when they fit the text width;
/// otherwise every column gets at least its widest word, and the rest of the width goes, a step
/// at a time, where it shortens the table most (a column whose cells then fit on one line in many
/// rows before one whose header would).
struct TableLayout {
    static let padding = 5.0
    let header: [TextLayout]
    let rows: [[TextLayout]]
    let headerText: [StyledText]
    let rowText: [[StyledText]]
    let columnWidths: [Double]
    let headerHeight: Double
    let rowHeights: [Double]
    /// True when even the widest words do not fit, so that some break inside.
    let breaksWords: Bool

    var width: Double { columnWidths.reduce(0, +) }

    /// The sizes a table's text is tried at, largest first. The smallest keeps code in a cell (set
    /// at `StyledText.codeScale` of it) at 7 pt or more; words that do not fit it wrap, a SHA-256
    /// digest over two lines.
    static let fontSizes = [9, 8.2, 7.8]

    /// The text size of the cells.
    let fontSize: Double

    /// The first layout, from `fontSizes` in order, whose words all fit the width.
    static func fitting(canvas: Canvas, header: [[Inline]], rows: [[[Inline]]], width: Double,
                        alignments: [Block.Alignment], fontSizes: [Double] = fontSizes) -> TableLayout {
        var layout: TableLayout!
        for size in fontSizes {
            layout = TableLayout(canvas: canvas, header: header, rows: rows, width: width, alignments: alignments, fontSize: size)
            if !layout.breaksWords { break }
        }
        return layout
    }

    init(canvas: Canvas, header: [[Inline]], rows: [[[Inline]]], width: Double,
         alignments: [Block.Alignment] = [], fontSize: Double = 9) {
        self.fontSize = fontSize
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        let padded = { (cells: [[Inline]]) in (cells + Array(repeating: [], count: columns - cells.count)).map(StyledText.init) }
        headerText = header.isEmpty ? [] : padded(header)
        rowText = rows.map(padded)
        let all = [headerText].filter { !$0.isEmpty } + rowText
        let (font, headerFont) = (Font.sans(fontSize), Font.sans(fontSize, bold: true))
        let fonts = all.indices.map { $0 == 0 && !header.isEmpty ? headerFont : font }
        let inset = 2 * Self.padding + 0.5

        var natural = [Double](repeating: 0, count: columns), minimum = natural
        var cellNatural = all.map { _ in natural }
        for (r, row) in all.enumerated() {
            for (c, cell) in row.enumerated() {
                let layout = canvas.layout(cell.markup, font: fonts[r], markup: true)
                cellNatural[r][c] = layout.size.width + inset
                natural[c] = max(natural[c], cellNatural[r][c])
                let words = layout.text.split(whereSeparator: { $0 == " " || $0 == "\n" })
                let widest = words.map { canvas.measure(String($0), font: fonts[r]).width }.max() ?? 0
                minimum[c] = max(minimum[c], widest + inset)
            }
        }
        breaksWords = minimum.reduce(0, +) > width
        var heights: [String: Double] = [:]
        let cellHeight = { (r: Int, c: Int, w: Double) -> Double in
            let key = "\(r) \(c) \(w)"
            if let h = heights[key] { return h }
            let h = canvas.layout(all[r][c].markup, font: fonts[r], width: w - 2 * Self.padding, markup: true).size.height
            heights[key] = h
            return h
        }
        columnWidths = Self.fit(natural: natural, minimum: minimum, cellNatural: cellNatural, into: width, cellHeight: cellHeight)

        let widths = columnWidths
        func layouts(_ cells: [StyledText], font: Font) -> [TextLayout] {
            cells.enumerated().map { c, cell in
                let alignment: TextAlignment = switch c < alignments.count ? alignments[c] : .left {
                case .left: .left
                case .center: .center
                case .right: .right
                }
                return canvas.layout(cell.markup, font: font, width: widths[c] - 2 * Self.padding, alignment: alignment, markup: true)
            }
        }
        self.header = headerText.isEmpty ? [] : layouts(headerText, font: headerFont)
        self.rows = rowText.map { layouts($0, font: font) }
        let height = { (cells: [TextLayout]) in (cells.map(\.size.height).max() ?? 0) + Self.padding }
        headerHeight = self.header.isEmpty ? 0 : height(self.header)
        rowHeights = self.rows.map(height)
    }

    /// Natural widths if they fit; the minimum widths scaled down if even they do not. Otherwise,
    /// from the minimum widths, each step widens one column to the natural width of one of its
    /// cells, the step that takes most height off the table per point of width, while width is
    /// left and a step helps; what is left then goes to the columns in proportion to how much
    /// wider they would like to be.
    static func fit(natural: [Double], minimum: [Double], cellNatural: [[Double]], into width: Double,
                    cellHeight: (Int, Int, Double) -> Double) -> [Double] {
        let rows = cellNatural.count
        let (naturalTotal, minimumTotal) = (natural.reduce(0, +), minimum.reduce(0, +))
        if naturalTotal <= width { return natural }
        if minimumTotal >= width { return minimum.map { $0 * width / minimumTotal } }
        var widths = minimum
        func tableHeight(_ widths: [Double]) -> Double {
            (0..<rows).map { r in widths.indices.map { c in cellHeight(r, c, widths[c]) }.max() ?? 0 }.reduce(0, +)
        }
        // A column's steps: the widths at which one of its cells fits on a line.
        let steps = widths.indices.map { c in Set(cellNatural.map { $0[c] }.filter { $0 > minimum[c] }).sorted() }
        var height = tableHeight(widths)
        while true {
            let left = width - widths.reduce(0, +)
            var best: (column: Int, width: Double, height: Double, gain: Double)?
            for c in widths.indices {
                for step in steps[c] where step > widths[c] + 0.01 && step - widths[c] <= left + 0.01 {
                    var trial = widths
                    trial[c] = step
                    let h = tableHeight(trial)
                    let gain = (height - h) / (step - widths[c])
                    if gain > 1e-6 && gain > (best?.gain ?? 0) { best = (c, step, h, gain) }
                }
            }
            guard let best else { break }
            widths[best.column] = best.width
            height = best.height
        }
        let left = width - widths.reduce(0, +)
        let wishes = widths.indices.map { max(0, natural[$0] - widths[$0]) }
        let wished = wishes.reduce(0, +)
        return widths.indices.map { widths[$0] + (wished > 0 ? left * wishes[$0] / wished : left / Double(widths.count)) }
    }
}
