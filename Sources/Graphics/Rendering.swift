import CCairo
import Foundation

public struct ChartsError: Error, CustomStringConvertible {
    public let description: String
}

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

private func check(_ status: cairo_status_t, _ what: String) throws(ChartsError) {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw ChartsError(description: "\(what): cairo says \(String(cString: cairo_status_to_string(status)))")
    }
}

extension Figure {
    /// The figure as a file of the given format; PNGs are drawn at `pngScale` pixels per point.
    public func rendered(as format: Format, pngScale: Double = 2) throws(ChartsError) -> Data {
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let surface: OpaquePointer
        switch format {
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(appendToSink, closure, size.width, size.height)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, fixedPDFDate)
        case .svg:
            surface = cairo_svg_surface_create_for_stream(appendToSink, closure, size.width, size.height)
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        case .png:
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((size.width * pngScale).rounded(.up)),
                                                 Int32((size.height * pngScale).rounded(.up)))
        }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        if format == .png {
            cairo_scale(context, pngScale, pngScale)
            cairo_set_source_rgb(context, 1, 1, 1)
            cairo_paint(context)
        }
        let canvas = Canvas(context: context, format: format)
        if format == .svg { canvas.textRecord = [] }
        draw(on: canvas)
        try check(cairo_status(context), "drawing a figure")
        if format == .png {
            try check(cairo_surface_write_to_png_stream(surface, appendToSink, closure), "writing a PNG")
        } else {
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface), "writing a \(format.rawValue.uppercased())")
        }
        return format == .svg ? RecordedText.addingTextLayer(canvas.textRecord ?? [], to: sink.data) : sink.data
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
        surface = cairo_pdf_surface_create_for_stream(appendToSink, Unmanaged.passUnretained(sink).toOpaque(), pageSize.width, pageSize.height)
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
    public func finish() throws(ChartsError) -> Data {
        try check(cairo_status(context), "drawing the document")
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "writing the PDF")
        guard language != nil || !canvas.figureDescriptions.isEmpty else { return sink.data }
        return try PDFAccessibility.update(sink.data, language: language, figureDescriptions: canvas.figureDescriptions)
    }
}
