import CCairo
import CPangoCairo
import Foundation

/// What a figure is drawn for: image data is prepared differently for each.
public enum Format: String, CaseIterable, Sendable {
    case pdf, svg, png
}

/// A Cairo context with Pango text: the one place in the project that calls Cairo and Pango.
/// Coordinates are points, y grows downwards.
public final class Canvas {
    let context: OpaquePointer
    public let format: Format
    /// The alternative texts of the `Figure` elements opened so far, in order.
    var figureDescriptions: [String] = []
    /// The text drawn so far, when the surface is an SVG that gets a text layer.
    var textRecord: [RecordedText]?
    /// Set while a figure is drawn for a `DrawingRecord`.
    let recorder: DrawingRecorder?

    init(context: OpaquePointer, format: Format, recorder: DrawingRecorder? = nil) {
        self.context = context
        self.format = format
        self.recorder = recorder
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
    }

    /// A canvas that draws nowhere, for measuring text before a figure knows its size; text
    /// metrics are unhinted, so they are the same as on any other surface.
    public static func measuring<T>(_ body: (Canvas) -> T) -> T {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)!
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        return body(Canvas(context: context, format: .png))
    }

    // MARK: State

    public func save() { cairo_save(context) }
    public func restore() { cairo_restore(context) }
    public func translate(_ dx: Double, _ dy: Double) { cairo_translate(context, dx, dy) }
    public func scale(_ sx: Double, _ sy: Double) { cairo_scale(context, sx, sy) }
    public func rotate(_ radians: Double) { cairo_rotate(context, radians) }
    public func clip(_ rect: Rect) { rectangle(rect); cairo_clip(context) }

    /// Runs `body` between save and restore.
    public func isolated(_ body: () -> Void) {
        save()
        body()
        restore()
    }

    // MARK: Paths and paint

    public func setColor(_ c: Color) { cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha) }
    public func setLineWidth(_ width: Double) { cairo_set_line_width(context, width) }
    public func setDash(_ pattern: [Double]) { cairo_set_dash(context, pattern, Int32(pattern.count), 0) }
    public func move(to p: Point) { cairo_move_to(context, p.x, p.y) }
    public func line(to p: Point) { cairo_line_to(context, p.x, p.y) }
    public func closePath() { cairo_close_path(context) }
    public func rectangle(_ r: Rect) { cairo_rectangle(context, r.x, r.y, r.width, r.height) }
    public func circle(_ center: Point, radius: Double) {
        record { .circle($0.device(center), radius: radius * $0.deviceScale) }
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
    }
    /// A rectangle with corners rounded by `radius` (at most half the shorter side).
    public func roundedRectangle(_ r: Rect, radius: Double) {
        let radius = min(radius, r.width / 2, r.height / 2)
        cairo_new_sub_path(context)
        cairo_arc(context, r.maxX - radius, r.y + radius, radius, -Double.pi / 2, 0)
        cairo_arc(context, r.maxX - radius, r.maxY - radius, radius, 0, Double.pi / 2)
        cairo_arc(context, r.x + radius, r.maxY - radius, radius, Double.pi / 2, Double.pi)
        cairo_arc(context, r.x + radius, r.y + radius, radius, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(context)
    }
    public func fill() { cairo_fill(context) }
    public func stroke() { cairo_stroke(context) }

    public func fill(_ r: Rect, _ color: Color) {
        record { .rect($0.device(r)) }
        setColor(color)
        rectangle(r)
        fill()
    }

    public func stroke(_ r: Rect, _ color: Color, width: Double = 0.5) {
        record { .rect($0.device(r.insetBy(-width / 2, -width / 2))) }
        setColor(color)
        setLineWidth(width)
        rectangle(r)
        stroke()
    }

    public func strokeLine(_ points: [Point], _ color: Color, width: Double = 1, dash: [Double] = []) {
        guard let first = points.first else { return }
        record { canvas in .polyline(points.map(canvas.device), halfWidth: width / 2 * canvas.deviceScale) }
        setColor(color)
        setLineWidth(width)
        setDash(dash)
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
        stroke()
        setDash([])
    }

    /// Fills `r` with a gradient through `stops` (offsets 0…1, in order) from its left edge to its
    /// right, or, with `upwards`, from its bottom edge to its top; PDF and SVG keep it as vectors.
    public func fillGradient(_ r: Rect, stops: [(offset: Double, color: Color)], upwards: Bool = false) {
        record { .rect($0.device(r)) }
        let pattern = upwards ? cairo_pattern_create_linear(r.x, r.maxY, r.x, r.y)! : cairo_pattern_create_linear(r.x, r.y, r.maxX, r.y)!
        defer { cairo_pattern_destroy(pattern) }
        for stop in stops {
            cairo_pattern_add_color_stop_rgba(pattern, stop.offset, stop.color.red, stop.color.green, stop.color.blue, stop.color.alpha)
        }
        cairo_set_source(context, pattern)
        rectangle(r)
        fill()
    }

    /// An arrow from `a` to `b` with a filled head.
    public func arrow(from a: Point, to b: Point, _ color: Color, width: Double = 1, head: Double = 5) {
        let angle = atan2(b.y - a.y, b.x - a.x)
        let base = Point(b.x - head * cos(angle), b.y - head * sin(angle))
        strokeLine([a, base], color, width: width)
        setColor(color)
        move(to: b)
        line(to: Point(base.x + head * 0.5 * sin(angle), base.y - head * 0.5 * cos(angle)))
        line(to: Point(base.x - head * 0.5 * sin(angle), base.y + head * 0.5 * cos(angle)))
        closePath()
        fill()
    }

    // MARK: Images

    /// Draws `image` into `rect` with nearest-neighbour sampling, so each pixel stays a crisp
    /// square: PDF viewers are told not to interpolate, and SVG viewers, which ignore Cairo's
    /// filter, are told so by the `image-rendering` that `rendered(as: .svg)` gives every image.
    public func image(_ image: PixelImage, in rect: Rect) {
        record { .rect($0.device(rect)) }
        let (w, h) = (image.width, image.height)
        // Cairo reports failure through the surface's status (an error surface has no data).
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h))!
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else { return }
        let stride = Int(cairo_image_surface_get_stride(surface))
        for y in 0..<h {
            let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<w { row[x] = image.pixels[y * w + x] }
        }
        cairo_surface_mark_dirty(surface)
        isolated {
            translate(rect.x, rect.y)
            scale(rect.width / Double(w), rect.height / Double(h))
            cairo_set_source_surface(context, surface, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
            cairo_rectangle(context, 0, 0, Double(w), Double(h))
            cairo_fill(context)
        }
    }

    // MARK: Text

    /// A Pango layout of `text` (Pango markup when `markup` is true), wrapped at `width` if given.
    /// With `hangingIndent`, every line but the first is indented by that much.
    public func layout(_ text: String, font: Font, width: Double? = nil, alignment: TextAlignment = .left,
                       markup: Bool = false, lineSpacing: Double = 1, hangingIndent: Double = 0) -> TextLayout {
        TextLayout(context: context, text: text, font: font, width: width, alignment: alignment, markup: markup,
                   lineSpacing: lineSpacing, hangingIndent: hangingIndent)
    }

    public enum Anchor { case top, middle, baseline, bottom }

    /// Draws one line (or, with `width`, a wrapped block) of plain text. `alignment` says which
    /// side of `point` the text sits on; `anchor` which part of it sits at `point.y`.
    @discardableResult
    public func text(_ string: String, at point: Point, font: Font, color: Color = .text,
                     alignment: TextAlignment = .left, anchor: Anchor = .top, width: Double? = nil, markup: Bool = false) -> Size {
        let layout = layout(string, font: font, width: width, alignment: width == nil ? .left : alignment, markup: markup)
        let size = layout.size
        var x = point.x
        if width == nil {
            if alignment == .center { x -= size.width / 2 }
            if alignment == .right { x -= size.width }
        } else if alignment == .center {
            x -= width! / 2
        } else if alignment == .right {
            x -= width!
        }
        let y: Double
        switch anchor {
        case .top: y = point.y
        case .middle: y = point.y - size.height / 2
        case .baseline: y = point.y - layout.firstBaseline
        case .bottom: y = point.y - size.height
        }
        setColor(color)
        layout.draw(on: self, at: Point(x, y))
        return size
    }

    public func measure(_ string: String, font: Font, width: Double? = nil, alignment: TextAlignment = .left,
                        markup: Bool = false) -> Size {
        metrics(string, font: font, width: width, alignment: alignment, markup: markup).size
    }

    /// The size and first baseline of `string` laid out as `layout` would, remembered (`MeasuredText`).
    public func metrics(_ string: String, font: Font, width: Double? = nil, alignment: TextAlignment = .left,
                        markup: Bool = false) -> TextMetrics {
        var m = cairo_matrix_t()
        cairo_get_matrix(context, &m)
        let key = MeasuredText.Key(text: string, font: font, width: width, alignment: alignment, markup: markup, format: format,
                                   xx: m.xx, yx: m.yx, xy: m.xy, yy: m.yy)
        return MeasuredText.shared.metrics(of: key) {
            let layout = layout(string, font: font, width: width, alignment: alignment, markup: markup)
            return TextMetrics(size: layout.size, firstBaseline: layout.firstBaseline)
        }
    }

    // MARK: PDF structure (ignored by other surfaces)

    /// Opens a structure element of a tagged PDF (`Document`, `H1`, `P`, `Table`, …): what is drawn
    /// until the matching `endStructure` belongs to it, and elements opened meanwhile are its
    /// children. Cairo 1.16 marks content only in elements without children, so text must be drawn
    /// in leaves (a paragraph with links draws its other text in `Span`s).
    public func beginStructure(_ type: String) { cairo_tag_begin(context, type, "") }
    public func endStructure(_ type: String) { cairo_tag_end(context, type) }

    /// Opens a `Figure` element; Cairo cannot write its alternative text, so the document adds it
    /// when it is finished (see `PDFDocument.finish`).
    public func beginFigure(alternativeText: String) {
        figureDescriptions.append(alternativeText)
        beginStructure("Figure")
    }

    /// Opens a link (a `Link` element with its annotation, whose area is what is drawn inside it).
    public func beginLink(_ target: LinkTarget) {
        let attributes = switch target {
        case .destination(let name): "dest='\(Self.quoted(name))'"
        // Cairo refuses a URI that is not ASCII.
        case .uri(let uri): "uri='\(Self.quoted(uri.addingPercentEncoding(withAllowedCharacters: .urlAllowed) ?? uri))'"
        }
        cairo_tag_begin(context, CAIRO_TAG_LINK, attributes)
    }

    public func endLink() { cairo_tag_end(context, CAIRO_TAG_LINK) }

    /// A named destination at `point` of the current page, for links and the outline.
    public func destination(_ name: String, at point: Point) {
        var x = point.x, y = point.y
        cairo_user_to_device(context, &x, &y)
        cairo_tag_begin(context, CAIRO_TAG_DEST, "name='\(Self.quoted(name))' x=\(x) y=\(y)")
        cairo_tag_end(context, CAIRO_TAG_DEST)
    }

    /// Cairo's attribute strings quote with ' and escape with \.
    static func quoted(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}

extension CharacterSet {
    /// Printable ASCII: what a URI keeps when its other characters are percent-encoded.
    static let urlAllowed = CharacterSet(charactersIn: Unicode.Scalar(0x21)...Unicode.Scalar(0x7E))
}

/// Where a link goes: a named destination of the same document, or a URI.
public enum LinkTarget: Equatable, Sendable {
    case destination(String)
    case uri(String)
}
