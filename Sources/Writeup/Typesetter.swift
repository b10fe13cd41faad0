import Graphics
import Foundation

public struct WriteupError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Typesets the report's Markdown into a tagged A4 PDF with Pango and Cairo: a title page with
/// the contents, bookmarks, numbered figures drawn as vectors that float to the top of the next
/// page when they do not fit, tables that break between rows with their header repeated, links
/// to every anchor, page numbers, and nothing past the margins.
public struct Typesetter {
    /// Who the PDF's metadata names as author.
    let author: String
    /// The figures the Markdown's images refer to, by their link (e.g. `figures/samples.svg`).
    let figures: [String: any Figure]
    /// The document's language (BCP 47).
    let language: String
    let style = Style()

    public init(author: String, figures: [String: any Figure], language: String = "en") {
        self.author = author
        self.figures = figures
        self.language = language
    }

    /// The PDF of `markdown`: the title page (see `TitleBlock`) with the contents, then the body.
    /// Fails when a link goes to an anchor that nothing has, or a placeholder was left unresolved.
    public func pdf(markdown: String) throws(WriteupError) -> Data {
        if let open = markdown.range(of: "⟦") {
            let token = markdown[open.lowerBound...].prefix { $0 != "⟧" && $0 != "\n" }.prefix(60)
            throw WriteupError(description:
                "the Markdown still holds the placeholder \(token)⟧ (CrossReferences.resolve turns placeholders into links)")
        }
        let (title, body) = TitleBlock.split(try MarkdownParser.checkedBlocks(markdown))
        let document = PDFDocument(pageSize: style.pageSize, title: title.plainTitle, author: author,
                                   subject: title.plainSubtitle, language: language)
        let layout = try paginate(title: title, body: body, canvas: document.canvas)
        try Self.checkLinks(layout)
        var drawing = PageDrawing(canvas: document.canvas, layout: layout, style: style)
        document.canvas.beginStructure("Document")
        for (index, page) in layout.pages.enumerated() {
            if index > 0 { document.nextPage() }
            drawing.draw(page, number: index + 1, of: layout.pages.count, runningHead: title.plainTitle)
        }
        document.canvas.endStructure("Document")
        var parents: [Int: Int] = [:]
        for heading in layout.headings {
            let parent = heading.level > 2 ? parents[heading.level - 1] ?? 0 : 0
            parents[heading.level] = document.addOutline(heading.title, destination: heading.anchor, parent: parent)
        }
        do { return try document.finish() } catch { throw WriteupError(description: error.description) }
    }

    struct Heading {
        let level: Int
        let title: String
        let anchor: String
        var page = 0
    }

    struct Layout {
        var pages: [Page]
        var headings: [Heading]
        /// The page (1-based) of every anchor.
        var anchors: [String: Int]
    }

    /// Lays the document out on pages: title and contents first, then the body from a new page.
    func paginate(title: TitleBlock, body: [Block], canvas: Canvas) throws(WriteupError) -> Layout {
        var flow = Flow(style: style, canvas: canvas, figures: figures)
        try flow.titleBlock(title)
        let headings = body.headings
        flow.contents(headings.filter { (2...3).contains($0.level) }.map {
            Heading(level: $0.level, title: $0.inlines.plainText, anchor: $0.anchor)
        })
        flow.headingAnchors = headings.map(\.anchor)
        flow.newPage()
        try flow.place(body, x: style.content.x, width: style.content.width, floating: true)
        flow.flushFloats()
        return Layout(pages: flow.pages, headings: flow.headings, anchors: flow.anchors)
    }

    /// Every link to an anchor of the document must find it.
    static func checkLinks(_ layout: Layout) throws(WriteupError) {
        for page in layout.pages {
            for item in page.items {
                var targets: [LinkTarget] = []
                if case .lines(_, _, _, _, let text?) = item { targets = text.links.map(\.target) }
                if case .begin(.link(let target)) = item { targets = [target] }
                for case .destination(let name) in targets where layout.anchors[name] == nil {
                    throw WriteupError(description:
                        "the Markdown links to #\(name), but no heading, figure, table or paragraph has that anchor")
                }
            }
        }
    }
}
