import Graphics
import Foundation

public struct WriteupError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Typesets the report's Markdown into an A4 PDF with Pango and Cairo: a title block and contents
/// with page numbers on the first page, bookmarks, numbered figures drawn as vectors, tables that
/// break between rows with their header repeated, page numbers, and nothing past the margins.
public struct Typesetter {
    /// Who the PDF's metadata names as author.
    let author: String
    /// The figures the Markdown's images refer to, by their link (e.g. `figures/samples.svg`).
    let figures: [String: any Figure]
    let style = Style()

    public init(author: String, figures: [String: any Figure]) {
        self.author = author
        self.figures = figures
    }

    /// The title block: a level-1 heading opening the document, and the paragraph right after it.
    struct TitleBlock {
        var title = "", subtitle = ""
        var plainTitle = "", plainSubtitle = ""
    }

    /// Splits the title block off the body.
    static func titleBlock(_ blocks: [Block]) -> (TitleBlock, body: [Block]) {
        var title = TitleBlock(), body = blocks[...]
        if case .heading(1, let markup, let plain)? = body.first {
            (title.title, title.plainTitle) = (markup, plain)
            body = body.dropFirst()
            if case .paragraph(let markup)? = body.first {
                (title.subtitle, title.plainSubtitle) = (markup, plainText(markup))
                body = body.dropFirst()
            }
        }
        return (title, Array(body))
    }

    /// The PDF of `markdown`: a title block, the contents, then every other block.
    public func pdf(markdown: String) throws(WriteupError) -> Data {
        let (title, body) = Self.titleBlock(try MarkdownParser.checkedBlocks(markdown))
        let document = PDFDocument(pageSize: style.pageSize, title: title.plainTitle, author: author, subject: title.plainSubtitle)
        let layout = try paginate(title: title, body: body, canvas: document.canvas)
        for (index, page) in layout.pages.enumerated() {
            if index > 0 { document.nextPage() }
            draw(page, number: index + 1, of: layout.pages.count, runningHead: title.plainTitle, layout: layout, canvas: document.canvas)
        }
        var parents: [Int: Int] = [:]
        for (i, heading) in layout.headings.enumerated() {
            let parent = heading.level > 2 ? parents[heading.level - 1] ?? 0 : 0
            parents[heading.level] = document.addOutline(heading.title, destination: "heading-\(i)", parent: parent)
        }
        do { return try document.finish() } catch { throw WriteupError(description: error.description) }
    }

    struct Heading {
        let level: Int
        let title: String
        var page = 0
    }

    struct Layout {
        var pages: [Page]
        var headings: [Heading]
    }

    /// Lays the document out on pages: title and contents first, then the body from a new page.
    func paginate(title: TitleBlock, body: [Block], canvas: Canvas) throws(WriteupError) -> Layout {
        var flow = Flow(style: style, canvas: canvas, figures: figures)
        flow.titleBlock(title)
        let entries = body.compactMap { block -> (Int, String)? in
            if case .heading(let level, _, let plain) = block, level >= 2 { (level, plain) } else { nil }
        }
        flow.contents(entries)
        flow.newPage()
        try flow.place(body, x: style.content.x, width: style.content.width)
        return Layout(pages: flow.pages, headings: flow.headings)
    }

    private func draw(_ page: Page, number: Int, of count: Int, runningHead: String, layout: Layout, canvas: Canvas) {
        for item in page.items { draw(item, layout: layout, canvas: canvas) }
        let footer = Point(style.pageSize.width / 2, style.pageSize.height - style.margins.bottom / 2)
        canvas.text("\(number) / \(count)", at: footer, font: style.small, color: .muted, alignment: .center, anchor: .middle)
        if number > 1 {
            let y = style.margins.top / 2
            canvas.text(runningHead, at: Point(style.content.maxX, y), font: style.small, color: .muted, alignment: .right, anchor: .middle)
            canvas.strokeLine([Point(style.content.x, y + 8), Point(style.content.maxX, y + 8)], .grid, width: 0.5)
        }
    }

    private func draw(_ item: Placed, layout: Layout, canvas: Canvas) {
        switch item {
        case .lines(let text, let range, let at, let color):
            canvas.setColor(color)
            text.drawLines(range, on: canvas, at: at)
        case .figure(let figure, let rect):
            canvas.isolated {
                canvas.translate(rect.x, rect.y)
                canvas.scale(rect.width / figure.size.width, rect.height / figure.size.height)
                canvas.clip(Rect(0, 0, figure.size.width, figure.size.height))
                figure.draw(on: canvas)
            }
        case .fill(let rect, let color):
            canvas.fill(rect, color)
        case .rule(let a, let b, let width, let color):
            canvas.strokeLine([a, b], color, width: width)
        case .destination(let name, let at):
            canvas.destination(name, at: at)
        case .pageNumber(let heading, let edge, let font):
            canvas.text("\(layout.headings[heading].page)", at: edge, font: font, alignment: .right)
        case .link(let destination, let inner):
            canvas.link(to: destination) { draw(inner, layout: layout, canvas: canvas) }
        }
    }
}

/// Markup without its tags and entities, for PDF metadata.
func plainText(_ markup: String) -> String {
    var text = "", inTag = false
    for c in markup {
        if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { text.append(c) }
    }
    return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&amp;", with: "&")
}
