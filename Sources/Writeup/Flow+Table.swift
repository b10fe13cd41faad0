import Graphics

extension Flow {
    /// A table (`Table` of `TR`s of `TH` and `TD`, its caption a `Caption`). When `floating`, one
    /// that fits on a page but not here waits for the next page like a figure; a longer one breaks
    /// between rows, repeating its header on every page (the repeated header drawn untagged).
    mutating func table(caption: [Inline]?, header: [[Inline]], rows: [[[Inline]]], alignments: [Block.Alignment],
                        x: Double, width: Double, floating: Bool) throws(WriteupError) {
        let box = TableBox(layout: TableLayout.fitting(canvas: canvas, header: header, rows: rows, width: width, alignments: alignments),
                           caption: caption, captionLines: caption.map { captionLayout($0, width: width) }, width: width,
                           gapAfter: style.paragraphGap + 6)
        space(4)
        if floating && (!pendingFloats.isEmpty || (box.whole > room && !atTop && box.whole <= style.content.height)) {
            if let anchor = caption?.anchors.first { try reserve(anchor) }
            pendingFloats.append(.table(box))
            return
        }
        try place(box, x: x)
    }

    /// Places a table here, on the next page if it should not start here.
    mutating func place(_ box: TableBox, x: Double) throws(WriteupError) {
        let (table, caption, captionLines) = (box.layout, box.caption, box.captionLines)
        // A table that does not fit breaks between rows, with at least three on this page; one that
        // would fit on a page is not started in the last 40 % of one.
        if box.whole > room && !atTop && (box.lead > room || (box.whole <= style.content.height && room < 0.4 * style.content.height)) {
            newPage()
        }
        if let anchor = caption?.anchors.first { try destination(anchor, x: x) }
        // Pages the rows open take no waiting floats, which would land inside the table.
        let allowed = floatsAllowed
        floatsAllowed = false
        defer { floatsAllowed = allowed }
        add(.begin(.element("Table")))
        if let captionLines {
            addText(captionLines, text: caption.map(StyledText.init), type: "Caption", x: x)
            y += 4
        }
        let left = x + (box.width - table.width) / 2
        add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
        placeHeader(table, left: left, tagged: true)
        for (r, height) in table.rowHeights.enumerated() {
            if height > room {
                add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
                newPage()
                add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
                placeHeader(table, left: left, tagged: false)
            }
            if r % 2 == 1 { add(.fill(Rect(left, y, table.width, height), Color(hex: 0xF5F5F5))) }
            placeCells(table.rows[r], texts: table.rowText[r], type: "TD", table: table, left: left)
            y += height
        }
        add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.8, color: .text))
        add(.end(.element("Table")))
        y += box.gapAfter
    }

    private mutating func placeHeader(_ table: TableLayout, left: Double, tagged: Bool) {
        guard !table.header.isEmpty else { return }
        placeCells(table.header, texts: tagged ? table.headerText : nil, type: "TH", table: table, left: left)
        y += table.headerHeight
        add(.rule(from: Point(left, y), to: Point(left + table.width, y), width: 0.5, color: .text))
    }

    /// A row of cells, each a `TH` or `TD` in a `TR`; untagged when `texts` is nil.
    private mutating func placeCells(_ cells: [TextLayout], texts: [StyledText]?, type: String, table: TableLayout, left: Double) {
        if texts != nil { add(.begin(.element("TR"))) }
        var cellX = left
        for (c, cell) in cells.enumerated() {
            let spans = !(texts?[c].links.isEmpty ?? true)
            if texts != nil { add(.begin(.element(type, textInSpans: spans))) }
            add(.lines(cell, 0..<cell.lines.count, at: Point(cellX + TableLayout.padding, y + TableLayout.padding / 2),
                       color: .text, text: texts?[c]))
            if texts != nil { add(.end(.element(type, textInSpans: spans))) }
            cellX += table.columnWidths[c]
        }
        if texts != nil { add(.end(.element("TR"))) }
    }
}
