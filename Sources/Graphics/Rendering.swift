import CCairo
import Foundation

/// Collects what a Cairo surface writes.
private final class ByteSink {
    var data = Data()
}

private let appendToSink: cairo_write_func_t = { closure, bytes, length in
    let sink = Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue()
    sink.data.append(bytes!, count: Int(length))
    return CAIRO_STATUS_SUCCESS
}

/// Fixes the dates cairo would otherwise stamp into PDFs, so equal inputs give equal bytes.
let fixedPDFDate = "2000-01-01T00:00:00Z"

func check(_ status: cairo_status_t, _ what: String) throws(RenderingError) {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw RenderingError(description: "\(what): cairo says \(String(cString: cairo_status_to_string(status)))")
    }
}

extension Figure {
    /// The figure as a file of the given format, at its natural size; PNGs are drawn at
    /// `pngScale` pixels per point, and their pHYs chunk says so (72 × `pngScale` pixels per inch).
    public func rendered(as format: Format, pngScale: Double = 2) throws(RenderingError) -> Data {
        try rendered(as: format, pixelsPerPoint: pngScale, dpi: 72 * pngScale)
    }

    /// The figure as a file for a reader of a document that prints it in `area`: PDF and SVG at
    /// the natural size (vectors scale without loss), the PNG with `dpi` pixels per inch of the
    /// figure as printed, recorded in its pHYs chunk so that its physical size is the printed one.
    public func rendered(as format: Format, printedIn area: PrintArea, dpi: Double = 300) throws(RenderingError) -> Data {
        try rendered(as: format, pixelsPerPoint: dpi / 72 * area.scale(for: size), dpi: dpi)
    }

    private func rendered(as format: Format, pixelsPerPoint: Double, dpi: Double) throws(RenderingError) -> Data {
        guard size.width > 0, size.height > 0, size.width.isFinite, size.height.isFinite else {
            throw RenderingError(description: "a figure of \(size.width) × \(size.height) pt cannot be drawn")
        }
        if format == .png { return try png(pixelsPerPoint: pixelsPerPoint, dpi: dpi) }
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let surface = format == .pdf
            ? cairo_pdf_surface_create_for_stream(appendToSink, closure, size.width, size.height)!
            : cairo_svg_surface_create_for_stream(appendToSink, closure, size.width, size.height)!
        defer { cairo_surface_destroy(surface) }
        if format == .pdf {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, fixedPDFDate)
        } else {
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        }
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        let canvas = Canvas(context: context, format: format)
        if format == .svg { canvas.textRecord = [] }
        draw(on: canvas)
        try check(cairo_status(context), "drawing a figure")
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "writing a \(format.rawValue.uppercased())")
        return format == .svg
            ? RecordedText.addingTextLayer(canvas.textRecord ?? [], to: Self.pixelatingImages(Self.renumberingIds(sink.data)))
            : sink.data
    }

    /// Cairo numbers an SVG's top group and its images after process-wide counts of surfaces
    /// (`id="surface803"`, `id="image3711"` and `#image3711`), so the bytes would depend on what
    /// else was drawn before and beside it; they are numbered anew from 1 in order of appearance.
    static func renumberingIds(_ svg: Data) -> Data {
        let bytes = [UInt8](svg), digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        let kinds = ["surface", "image"].map { Array($0.utf8) }
        var numbers: [[UInt8]: Int] = [:], out: [UInt8] = [], i = 0
        out.reserveCapacity(bytes.count)
        while i < bytes.count {
            let quoteOrHash = i > 0 && (bytes[i - 1] == UInt8(ascii: "#") || bytes[i - 1] == UInt8(ascii: "\""))
            if quoteOrHash, let kind = kinds.first(where: { bytes[i...].starts(with: $0) }),
               i + kind.count < bytes.count, digits.contains(bytes[i + kind.count]) {
                var end = i + kind.count
                while end < bytes.count && digits.contains(bytes[end]) { end += 1 }
                let name = Array(bytes[i..<end])
                let number = numbers[name] ?? { numbers[name] = numbers.count + 1; return numbers.count }()
                out += kind + Array("\(number)".utf8)
                i = end
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return Data(out)
    }

    /// Every image drawn with its pixels as crisp squares, which Cairo's SVG surface does not say:
    /// `optimizeSpeed` for SVG 1.1 viewers, `pixelated` for browsers.
    static func pixelatingImages(_ svg: Data) -> Data {
        let image = Data("<image ".utf8), crisp = Data("<image image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" ".utf8)
        var out = Data(), rest = svg[...]
        while let found = rest.range(of: image) {
            out += rest[..<found.lowerBound] + crisp
            rest = rest[found.upperBound...]
        }
        return out + rest
    }

    /// Drawn on white at `pixelsPerPoint`, encoded by libpng with `dpi` in its pHYs chunk.
    private func png(pixelsPerPoint: Double, dpi: Double) throws(RenderingError) -> Data {
        let width = Int((size.width * pixelsPerPoint).rounded(.up)), height = Int((size.height * pixelsPerPoint).rounded(.up))
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "making a \(width) × \(height) px image")
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        cairo_scale(context, pixelsPerPoint, pixelsPerPoint)
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        draw(on: Canvas(context: context, format: .png))
        try check(cairo_status(context), "drawing a figure")
        cairo_surface_flush(surface)
        return try PNGEncoder.encode(surface, dpi: dpi)
    }
}

/// A multi-page PDF: pages are drawn one after another on `canvas`, with an outline (bookmarks),
/// and, when `canvas` opens structure elements, tagged.
public final class PDFDocument {
    private let sink = ByteSink()
    private let surface: OpaquePointer
    private let context: OpaquePointer
    public let canvas: Canvas
    public let pageSize: Size
    /// The document's language (BCP 47, e.g. "en"), which Cairo 1.16 cannot write.
    let language: String?

    public init(pageSize: Size, title: String, author: String, subject: String, language: String? = nil) {
        self.pageSize = pageSize
        self.language = language
        surface = cairo_pdf_surface_create_for_stream(appendToSink, Unmanaged.passUnretained(sink).toOpaque(),
                                                      pageSize.width, pageSize.height)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "report (Cairo, Pango, cmark-gfm)")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, fixedPDFDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, fixedPDFDate)
        context = cairo_create(surface)!
        canvas = Canvas(context: context, format: .pdf)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Ends the current page and starts the next.
    public func nextPage() { cairo_show_page(context) }

    /// Adds a bookmark to the named destination under `parent` (0 for the top level); returns its id.
    @discardableResult
    public func addOutline(_ title: String, destination: String, parent: Int = 0) -> Int {
        Int(cairo_pdf_surface_add_outline(surface, Int32(parent), title, "dest='\(destination)'", cairo_pdf_outline_flags_t(0)))
    }

    /// Finishes the document and returns its bytes. What Cairo 1.16 cannot write, the language
    /// and the figures' alternative texts, is added by an incremental update (see `PDFAccessibility`).
    public func finish() throws(RenderingError) -> Data {
        try check(cairo_status(context), "drawing the document")
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "writing the PDF")
        guard language != nil || !canvas.figureDescriptions.isEmpty else { return sink.data }
        return try PDFAccessibility.update(sink.data, language: language, figureDescriptions: canvas.figureDescriptions)
    }
}
