import CCairo

extension Canvas {
    /// Says what `body` draws (data, or a legend) for a `DrawingRecord`; the drawing is unchanged.
    public func drawing(as role: DrawingRecord.Role, _ body: () -> Void) {
        guard let recorder else { return body() }
        let outer = recorder.role
        recorder.role = role
        body()
        recorder.role = outer
    }

    /// Records `rect`, say a legend's box, as covering data or a key without drawing anything.
    public func recordRegion(_ rect: Rect, as role: DrawingRecord.Role) {
        recorder?.record.marks.append(DrawingRecord.Mark(role: role, shape: .rect(device(rect))))
    }

    /// Records the shape `make` gives, when recording and inside `drawing(as:)`.
    func record(_ make: (Canvas) -> DrawingRecord.Shape) {
        guard let recorder, let role = recorder.role else { return }
        recorder.record.marks.append(DrawingRecord.Mark(role: role, shape: make(self)))
    }

    /// Records a piece of text drawn with `size` (in user units) into `frame` (user coordinates).
    func recordText(_ text: String, size: Double, frame: Rect) {
        guard let recorder else { return }
        var dx = 0.0, dy = 1.0
        cairo_user_to_device_distance(context, &dx, &dy)
        recorder.record.texts.append(DrawingRecord.Text(text: text, size: size * (dx * dx + dy * dy).squareRoot(), frame: device(frame)))
    }

    /// A point in the surface's coordinates.
    func device(_ p: Point) -> Point {
        var x = p.x, y = p.y
        cairo_user_to_device(context, &x, &y)
        return Point(x, y)
    }

    /// The bounding box of a rectangle in the surface's coordinates.
    func device(_ r: Rect) -> Rect {
        let corners = [Point(r.x, r.y), Point(r.maxX, r.y), Point(r.x, r.maxY), Point(r.maxX, r.maxY)].map(device)
        let xs = corners.map(\.x), ys = corners.map(\.y)
        return Rect(xs.min()!, ys.min()!, xs.max()! - xs.min()!, ys.max()! - ys.min()!)
    }

    /// How long a unit of user space is on the surface (the geometric mean of the two axes).
    var deviceScale: Double {
        var matrix = cairo_matrix_t()
        cairo_get_matrix(context, &matrix)
        return abs(matrix.xx * matrix.yy - matrix.xy * matrix.yx).squareRoot()
    }
}

extension Figure {
    /// Draws the figure scaled by `scale` (as printed: see `PrintArea.scale(for:)`) and records
    /// every text with its printed size and every data and legend mark.
    public func recording(scale: Double = 1) -> DrawingRecord {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)!
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        cairo_scale(context, scale, scale)
        let recorder = DrawingRecorder()
        draw(on: Canvas(context: context, format: .pdf, recorder: recorder))
        return recorder.record
    }

    /// The text printed smallest when the figure is placed in `area`; nil when it has no text.
    public func smallestPrintedText(in area: PrintArea = .column) -> DrawingRecord.Text? {
        recording(scale: area.scale(for: size)).smallestText
    }
}
