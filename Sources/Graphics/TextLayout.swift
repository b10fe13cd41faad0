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
    private let lineWidths: [Double]
    private let text: String

    init(context: OpaquePointer, text: String, font: Font, width: Double?, alignment: TextAlignment, markup: Bool, lineSpacing: Double) {
        self.context = context
        self.text = text
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
        pango_layout_set_alignment(layout, alignment == .left ? PANGO_ALIGN_LEFT : alignment == .center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT)
        if lineSpacing != 1 { pango_layout_set_line_spacing(layout, Float(lineSpacing)) }
        if markup {
            pango_layout_set_markup(layout, text, -1)
        } else {
            pango_layout_set_text(layout, text, -1)
        }

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

    /// Draws `range` of the lines so that the first of them starts at `point`.
    public func drawLines(_ range: Range<Int>, on canvas: Canvas, at point: Point) {
        guard let first = range.first else { return }
        let top = lines[first].top
        for i in range {
            let line = pango_layout_get_line_readonly(layout, Int32(i))
            cairo_move_to(canvas.context, point.x + lineOffsets[i], point.y + baselines[i] - top)
            pango_cairo_show_layout_line(canvas.context, line)
            if canvas.recorder != nil, let size = smallestFontSize(line) {
                canvas.recordText(text, size: size, frame: Rect(point.x + lineOffsets[i], point.y + lines[i].top - top, lineWidths[i], lines[i].height))
            }
        }
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

/// Escapes text for Pango markup; unescaped `&`, `<` or `>` make Pango drop the whole text.
public func escapeMarkup(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        default: escaped.append(c)
        }
    }
    return escaped
}
