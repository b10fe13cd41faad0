import Graphics

/// Column widths and laid-out cells of a table: natural widths when they fit the text width,
/// otherwise the wide columns share what the narrow ones leave, and their cells wrap.
struct TableLayout {
    static let padding = 5.0
    let header: [TextLayout]
    let rows: [[TextLayout]]
    let columnWidths: [Double]
    let headerHeight: Double
    let rowHeights: [Double]
    /// True when even the widest words do not fit, so that some break inside.
    let breaksWords: Bool

    var width: Double { columnWidths.reduce(0, +) }

    /// The first layout, from `fontSizes` in order, whose words all fit the width.
    static func fitting(canvas: Canvas, header: [String], rows: [[String]], width: Double,
                        alignments: [Block.Alignment], fontSizes: [Double] = [9, 8.2, 7.4]) -> TableLayout {
        var layout: TableLayout!
        for size in fontSizes {
            layout = TableLayout(canvas: canvas, header: header, rows: rows, width: width, alignments: alignments, fontSize: size)
            if !layout.breaksWords { break }
        }
        return layout
    }

    init(canvas: Canvas, header: [String], rows: [[String]], width: Double,
         alignments: [Block.Alignment] = [], fontSize: Double = 9) {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        let padded = { (cells: [String]) in cells + Array(repeating: "", count: columns - cells.count) }
        let all = [header].filter { !$0.isEmpty } + rows
        let (font, headerFont) = (Font.sans(fontSize), Font.sans(fontSize, bold: true))
        var natural = [Double](repeating: 0, count: columns), minimum = natural
        for (r, row) in all.map(padded).enumerated() {
            for (c, cell) in row.enumerated() {
                let cellFont = r == 0 && !header.isEmpty ? headerFont : font
                natural[c] = max(natural[c], canvas.measure(cell, font: cellFont, markup: true).width + 2 * Self.padding + 0.5)
                let widestWord = plainText(cell).split(separator: " ").map { canvas.measure(String($0), font: cellFont).width }.max() ?? 0
                minimum[c] = max(minimum[c], widestWord + 2 * Self.padding + 0.5)
            }
        }
        columnWidths = Self.fit(natural: natural, minimum: minimum, into: width)
        breaksWords = minimum.reduce(0, +) > width
        let widths = columnWidths
        func layouts(_ cells: [String], font: Font) -> [TextLayout] {
            padded(cells).enumerated().map { c, cell in
                let alignment: TextAlignment = switch c < alignments.count ? alignments[c] : .left {
                case .left: .left
                case .center: .center
                case .right: .right
                }
                return canvas.layout(cell, font: font, width: widths[c] - 2 * Self.padding, alignment: alignment, markup: true)
            }
        }
        self.header = header.isEmpty ? [] : layouts(header, font: headerFont)
        self.rows = rows.map { layouts($0, font: font) }
        let height = { (cells: [TextLayout]) in (cells.map(\.size.height).max() ?? 0) + Self.padding }
        headerHeight = self.header.isEmpty ? 0 : height(self.header)
        rowHeights = self.rows.map(height)
    }

    /// Natural widths if they fit. Otherwise every column gets at least its widest word, so that
    /// words are not broken, and the remaining width goes to the columns in proportion to how much
    /// wrapping they would need; only when even the widest words do not fit are they shrunk too.
    static func fit(natural: [Double], minimum: [Double], into width: Double) -> [Double] {
        let (naturalTotal, minimumTotal) = (natural.reduce(0, +), minimum.reduce(0, +))
        if naturalTotal <= width { return natural }
        if minimumTotal >= width { return minimum.map { $0 * width / minimumTotal } }
        let slack = zip(natural, minimum).map { $0 - $1 }, slackTotal = naturalTotal - minimumTotal
        return minimum.indices.map { minimum[$0] + (width - minimumTotal) * slack[$0] / slackTotal }
    }
}
