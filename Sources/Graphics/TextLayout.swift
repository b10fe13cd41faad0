import CCairo
import CPangoCairo

/// A paragraph laid out by Pango, measured before it is drawn, and drawable line by line so that
/// a page break can fall between lines.
public final class TextLayout {
    private let layout: OpaquePointer
    private let context: OpaquePointer
    /// The logical size in points.
    public let size: Size
    /// Each line's top and height in points, from the top of the layout.
    public let lines: [(top: Double, height: Double)]
    private let baselines: [Double]
    private let lineOffsets: [Double]
    private let font: Font
    private let lineWidths: [Double]

    init(context: OpaquePointer, text: String, font: Font, width: Double?, alignment: TextAlignment, markup: Bool,
         lineSpacing: Double, hangingIndent: Double = 0) {
        self.context = context
        self.font = font
        layout = pango_cairo_create_layout(context)
        // Unhinted metrics: the same layout on every surface, whatever its resolution.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(pango_layout_get_context(layout), options)
        cairo_font_options_destroy(options)
        // Font sizes are in points, as the surface is: 72 dpi, not Pango's default 96 (which draws
        // 10 pt type 13.3 pt high); and glyphs at fractional positions, not rounded to whole points.
        pango_cairo_context_set_resolution(pango_layout_get_context(layout), 72)
        pango_context_set_round_glyph_positions(pango_layout_get_context(layout), 0)
        pango_layout_context_changed(layout)

        let description = pango_font_description_from_string(font.pangoDescription)
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        if let width {
            pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        pango_layout_set_alignment(layout,
                                   alignment == .left ? PANGO_ALIGN_LEFT : alignment == .center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT)
        if lineSpacing != 1 { pango_layout_set_line_spacing(layout, Float(lineSpacing)) }
        if hangingIndent > 0 { pango_layout_set_indent(layout, Int32(-hangingIndent * Double(PANGO_SCALE))) }
        if markup {
            pango_layout_set_markup(layout, text, -1)
        } else {
            pango_layout_set_text(layout, text, -1)
        }
        // No ligatures: Cairo writes a ligature as a glyph with the letters as /ActualText in a
        // marked-content span of its own, which poppler's structure-tree text stops at.
        let attributes = pango_layout_get_attributes(layout).map { pango_attr_list_copy($0)! } ?? pango_attr_list_new()!
        pango_attr_list_insert(attributes, pango_attr_font_features_new("liga=0, clig=0"))
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)

        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        let scale = Double(PANGO_SCALE)
        size = Size(Double(logical.width) / scale, Double(logical.height) / scale)

        var lines: [(Double, Double)] = [], baselines: [Double] = [], offsets: [Double] = [], widths: [Double] = []
        let iterator = pango_layout_get_iter(layout)
        repeat {
            var lineRect = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, nil, &lineRect)
            lines.append((Double(lineRect.y) / scale, Double(lineRect.height) / scale))
            offsets.append(Double(lineRect.x) / scale)
            widths.append(Double(lineRect.width) / scale)
            baselines.append(Double(pango_layout_iter_get_baseline(iterator)) / scale)
        } while pango_layout_iter_next_line(iterator) != 0
        pango_layout_iter_free(iterator)
        self.lines = lines
        self.baselines = baselines
        lineOffsets = offsets
        lineWidths = widths
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    public var firstBaseline: Double { baselines.first ?? 0 }

    /// Draws the whole layout with its top-left corner at `point`, in the current colour.
    public func draw(on canvas: Canvas, at point: Point) {
        drawLines(0..<lines.count, on: canvas, at: point)
    }

    /// The text laid out, without markup; byte offsets into its UTF-8 are what `drawLines` splits at.
    public var text: String { String(cString: pango_layout_get_text(layout)) }

    /// The UTF-8 byte range of the text of line `index`.
    public func byteRange(ofLine index: Int) -> Range<Int> {
        let line = pango_layout_get_line_readonly(layout, Int32(index))!.pointee
        return Int(line.start_index)..<Int(line.start_index + line.length)
    }

    /// Draws `range` of the lines so that the first of them starts at `point`.
    public func drawLines(_ range: Range<Int>, on canvas: Canvas, at point: Point) {
        drawLines(range, on: canvas, at: point, splittingAt: []) { _, draw in draw() }
    }

    /// Draws `range` of the lines in pieces: a line is cut at each UTF-8 byte offset of `boundaries`
    /// that falls inside it, and `piece` is called with each piece's byte range and a closure that
    /// draws it, so that the caller can wrap pieces (a link, the text around it) in PDF tags or
    /// colour them. Glyphs are drawn run by run in the current colour, or their markup's
    /// foreground colour; other decorations (underline, strikethrough) are not drawn. The space
    /// that ends a wrapped line has no glyph, which Cairo would write as an empty marked-content
    /// span with /ActualText, where poppler's structure-tree text stops; it is drawn as a space
    /// glyph of its own instead, so that the text read from the PDF keeps its words apart.
    public func drawLines(_ range: Range<Int>, on canvas: Canvas, at point: Point, splittingAt boundaries: [Int],
                          piece: (Range<Int>, () -> Void) -> Void) {
        guard let first = range.first else { return }
        let top = lines[first].top
        let bytes = Array(text.utf8)
        for i in range {
            let origin = Point(point.x + lineOffsets[i], point.y + baselines[i] - top)
            let lineBytes = byteRange(ofLine: i)
            var visibleEnd = lineBytes.upperBound
            while visibleEnd > lineBytes.lowerBound, [0x20, 0x0A, 0x09].contains(bytes[visibleEnd - 1]) { visibleEnd -= 1 }
            guard visibleEnd > lineBytes.lowerBound else { continue }
            let line = pango_layout_get_line_readonly(layout, Int32(i))!
            let lineText = String(decoding: bytes[lineBytes.lowerBound..<visibleEnd], as: UTF8.self)
            if canvas.recorder != nil, let size = smallestFontSize(line) {
                canvas.recordText(lineText, size: size,
                                  frame: Rect(point.x + lineOffsets[i], point.y + lines[i].top - top, lineWidths[i], lines[i].height))
            }
            canvas.record(lineText, font: font, at: origin, width: lineWidth(line))
            let cuts = Set(boundaries + [visibleEnd]).filter { $0 > lineBytes.lowerBound && $0 < lineBytes.upperBound }.sorted()
            drawPieces(of: line, at: origin, cuts: cuts, lineBytes: lineBytes, visibleEnd: visibleEnd, on: canvas, piece: piece)
        }
    }

    private func lineWidth(_ line: UnsafeMutablePointer<PangoLayoutLine>) -> Double {
        var logical = PangoRectangle()
        pango_layout_line_get_extents(line, nil, &logical)
        return Double(logical.width) / Double(PANGO_SCALE)
    }

    /// Splits a line's runs (glyph items) at `cuts` and hands each piece within `lineBytes`,
    /// drawn with its own glyphs at its own x, to `piece`; the glyph items between two cuts are
    /// one piece.
    private func drawPieces(of line: UnsafeMutablePointer<PangoLayoutLine>, at origin: Point, cuts: [Int], lineBytes: Range<Int>,
                            visibleEnd: Int, on canvas: Canvas, piece: (Range<Int>, () -> Void) -> Void) {
        let text = pango_layout_get_text(layout)
        var glyphs: [(item: UnsafeMutablePointer<PangoGlyphItem>, x: Double, bytes: Range<Int>)] = []
        defer { for g in glyphs { pango_glyph_item_free(g.item) } }
        var x = origin.x
        var run = line.pointee.runs
        while let node = run {
            let rest = pango_glyph_item_copy(node.pointee.data.assumingMemoryBound(to: PangoGlyphItem.self))!
            while true {
                let start = Int(rest.pointee.item.pointee.offset), end = start + Int(rest.pointee.item.pointee.length)
                guard let cut = cuts.first(where: { $0 > start && $0 < end }),
                      let head = pango_glyph_item_split(rest, text, Int32(cut - start)) else { break }
                glyphs.append((head, x, start..<cut))
                x += Double(pango_glyph_string_get_width(head.pointee.glyphs)) / Double(PANGO_SCALE)
            }
            let start = Int(rest.pointee.item.pointee.offset)
            glyphs.append((rest, x, start..<(start + Int(rest.pointee.item.pointee.length))))
            x += Double(pango_glyph_string_get_width(rest.pointee.glyphs)) / Double(PANGO_SCALE)
            run = node.pointee.next
        }
        let edges = [lineBytes.lowerBound] + cuts + [lineBytes.upperBound]
        for (low, high) in zip(edges, edges.dropFirst()) {
            if low >= visibleEnd {
                piece(low..<high) { self.drawSpace(on: canvas, at: Point(x, origin.y)) }
                continue
            }
            let members = glyphs.filter { $0.bytes.lowerBound >= low && $0.bytes.upperBound <= high }
            guard !members.isEmpty else { continue }
            piece(low..<high) {
                for g in members {
                    let color = Self.foreground(of: g.item)
                    if let color { cairo_save(canvas.context); cairo_set_source_rgb(canvas.context, color.red, color.green, color.blue) }
                    cairo_move_to(canvas.context, g.x, origin.y)
                    pango_cairo_show_glyph_item(canvas.context, text, g.item)
                    if color != nil { cairo_restore(canvas.context) }
                }
            }
        }
    }

    /// A space glyph in this layout's font at `point` (on the baseline).
    private func drawSpace(on canvas: Canvas, at point: Point) {
        let space = pango_layout_copy(layout)!
        defer { g_object_unref(UnsafeMutableRawPointer(space)) }
        pango_layout_set_attributes(space, nil)
        pango_layout_set_width(space, -1)
        pango_layout_set_indent(space, 0)
        pango_layout_set_text(space, " x", -1)
        let line = pango_layout_get_line_readonly(space, 0)!
        guard let run = line.pointee.runs?.pointee.data.assumingMemoryBound(to: PangoGlyphItem.self),
              let copy = pango_glyph_item_copy(run) else { return }
        defer { pango_glyph_item_free(copy) }
        // The space alone: " x" keeps Pango from taking it for a line's trailing space.
        guard let head = pango_glyph_item_split(copy, pango_layout_get_text(space), 1) else { return }
        defer { pango_glyph_item_free(head) }
        cairo_move_to(canvas.context, point.x, point.y)
        pango_cairo_show_glyph_item(canvas.context, pango_layout_get_text(space), head)
    }

    /// The foreground colour the markup gives a run, if any.
    private static func foreground(of item: UnsafeMutablePointer<PangoGlyphItem>) -> Color? {
        var attribute = item.pointee.item.pointee.analysis.extra_attrs
        while let node = attribute {
            let pointer = node.pointee.data.assumingMemoryBound(to: PangoAttribute.self)
            if pointer.pointee.klass.pointee.type == PANGO_ATTR_FOREGROUND {
                let color = UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: PangoAttrColor.self).pointee.color
                return Color(Double(color.red) / 65535, Double(color.green) / 65535, Double(color.blue) / 65535)
            }
            attribute = node.pointee.next
        }
        return nil
    }

    /// The smallest font size, in points, among the runs of `line` (markup can change sizes
    /// within a line); nil for an empty line. Pango loads fonts at their size on the surface (the
    /// transform in force when the layout was made), so that scale is divided out again.
    private func smallestFontSize(_ line: UnsafeMutablePointer<PangoLayoutLine>?) -> Double? {
        var loadedScale = 1.0
        if let m = pango_context_get_matrix(pango_layout_get_context(layout))?.pointee {
            loadedScale = abs(m.xx * m.yy - m.xy * m.yx).squareRoot()
        }
        var smallest: Double?
        var run = line?.pointee.runs
        while let node = run {
            if let item = node.pointee.data?.assumingMemoryBound(to: PangoGlyphItem.self).pointee.item,
               let font = item.pointee.analysis.font {
                let description = pango_font_describe(font)
                let size = Double(pango_font_description_get_size(description)) / Double(PANGO_SCALE) / loadedScale
                pango_font_description_free(description)
                smallest = min(smallest ?? size, size)
            }
            run = node.pointee.next
        }
        return smallest
    }

    /// Height of lines `range`, from the top of the first to the bottom of the last.
    public func height(of range: Range<Int>) -> Double {
        guard let first = range.first, let last = range.last else { return 0 }
        return lines[last].top + lines[last].height - lines[first].top
    }
}
