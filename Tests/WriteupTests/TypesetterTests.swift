import Graphics
import Foundation
import Testing
@testable import Writeup

/// A plain figure: a framed box with a diagonal, at a given size.
struct BoxFigure: Figure {
    var size: Size
    func draw(on canvas: Canvas) {
        canvas.stroke(Rect(0.5, 0.5, size.width - 1, size.height - 1), .text, width: 1)
        canvas.strokeLine([Point(0, 0), Point(size.width, size.height)], Color.series[0])
        canvas.text("box \(Int(size.width))×\(Int(size.height))", at: Point(size.width / 2, size.height / 2), font: .sans(9),
                    alignment: .center, anchor: .middle)
    }
}

let longWord = String(repeating: "Pneumonoultramicroscopicsilicovolcanoconiosis", count: 8)
let lorem = String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 30)

/// A document that exercises every block: long words, a wide table, a long table, figures that
/// do not fit, code, lists and many page breaks.
let sampleMarkdown = """
# A title

A subtitle with *style*

## 1. Introduction

Some *emphasis*, **strong** text, `code`, a [link](https://example.org) & an ampersand < and >.
A second line of the same paragraph. \(longWord)

- first item
- second item with a longer text that certainly wraps onto a second line when typeset at this width on A4 paper.

1. one
2. two

### 1.1 A subsection

\(lorem)

**Table 1.** A table with a caption above.

| layer | kernel | output | parameters |
| --- | :-: | --- | ---: |
| conv1 | 5×5 | 6×28×28 | 156 |
| pool1 | 2×2 | 6×14×14 | 0 |

![Figure 1](figures/box.svg)\\
**Figure 1.** A box figure with a caption below.

**Table 2.** A table wider than the page.

| \((1...10).map { "column \($0) with a long header" }.joined(separator: " | ")) |
| \((1...10).map { _ in "---" }.joined(separator: " | ")) |
| \((1...10).map { "cell \($0) " + String(repeating: "wide ", count: 6) }.joined(separator: " | ")) |
| \((1...10).map { _ in longWord }.joined(separator: " | ")) |

```
let x = 1
let y = 2
```

## 2. Second section

\(String(repeating: "Paragraph text that goes on. ", count: 200))

**Table 3.** A long table.

| n | square |
| ---: | ---: |
\((1...90).map { "| \($0) | \($0 * $0) |" }.joined(separator: "\n"))

![Figure 2](figures/tall.svg)\\
**Figure 2.** A figure taller than a page, scaled down.

## 3. Last section

\(lorem)
"""

@Suite struct TypesetterTests {
    let figures: [String: any Figure] = ["figures/box.svg": BoxFigure(size: Size(470, 200)),
                                         "figures/tall.svg": BoxFigure(size: Size(300, 1200))]

    func layout() throws -> (Typesetter.Layout, Style) {
        let (title, body) = TitleBlock.split(MarkdownParser.blocks(sampleMarkdown))
        let document = PDFDocument(pageSize: Style().pageSize, title: "", author: "", subject: "")
        return (try Typesetter(author: "tests", figures: figures).paginate(title: title, body: body, canvas: document.canvas), Style())
    }

    /// Tolerance 0.5 pt: Pango's extents are rounded to 1/1024 pt, lines to whole units.
    @Test func nothingCrossesTheMargins() throws {
        let (layout, style) = try layout()
        #expect(layout.pages.count >= 5, "the sample should need several pages, got \(layout.pages.count)")
        let content = style.content
        for (p, page) in layout.pages.enumerated() {
            for item in page.items {
                guard let b = item.bounds else { continue }
                #expect(b.x >= content.x - 0.5 && b.maxX <= content.maxX + 0.5 && b.y >= content.y - 0.5 && b.maxY <= content.maxY + 0.5,
                        "page \(p + 1): \(item) at \(b) leaves the text area \(content)")
            }
        }
    }

    @Test func headingsAreNeverLastOnAPage() throws {
        let (layout, _) = try layout()
        let anchors = Set(layout.headings.map(\.anchor))
        let isHeading = { (item: Placed) in if case .destination(let name, _) = item { anchors.contains(name) } else { false } }
        #expect(layout.pages.map { $0.items.filter(isHeading).count }.reduce(0, +) == layout.headings.count)
        for (p, page) in layout.pages.enumerated() {
            // A heading's items: destination, begin, lines, end.
            if let last = page.items.lastIndex(where: isHeading), page.items.count - last <= 4 {
                Issue.record("page \(p + 1) ends with a heading")
            }
        }
        #expect(layout.headings.map(\.title) == ["1. Introduction", "1.1 A subsection", "2. Second section", "3. Last section"])
        #expect(layout.headings.map(\.page) == layout.headings.map(\.page).sorted())
    }

    @Test func figuresAreScaledToFitAndNeverSplit() throws {
        let (layout, style) = try layout()
        let placed = layout.pages.flatMap { $0.items.compactMap { if case .figure(let f, let rect) = $0 { (f, rect) } else { nil } } }
        #expect(placed.count == 2)
        for (figure, rect) in placed {
            let scale = rect.width / figure.size.width
            #expect(abs(rect.height / figure.size.height - scale) < 1e-9, "figures keep their aspect ratio")
            #expect(rect.height <= style.figureMaxHeight + 1e-9 && rect.width <= style.content.width + 1e-9)
        }
    }

    @Test func longTablesRepeatTheirHeaderOnEveryPage() throws {
        let (layout, _) = try layout()
        let squares = layout.pages.indices.filter { p in
            layout.pages[p].items.contains { if case .lines(let text, _, _, _, _) = $0 { text.size.width > 0 && text.lines.count == 1 && $0.isCell("square") } else { false } }
        }
        #expect(squares.count >= 2, "the 90-row table should span pages, each with its header; header on pages \(squares)")
    }

    @Test func pdfIsDeterministicWithOutlineAndEmbeddedFonts() throws {
        let typesetter = Typesetter(author: "tests", figures: figures)
        let first = try typesetter.pdf(markdown: sampleMarkdown), second = try typesetter.pdf(markdown: sampleMarkdown)
        #expect(first == second, "the same input must give the same bytes")
        #expect(first.starts(with: Array("%PDF-".utf8)))
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("/Outlines"), "bookmarks")
        #expect(text.contains("/FontFile"), "embedded fonts")
        #expect(text.contains("/Title (A title)"))
    }

    @Test func missingFigureIsAnError() {
        #expect(throws: WriteupError.self) { try Typesetter(author: "t", figures: [:]).pdf(markdown: "# T\n\n![x](figures/none.svg)\n") }
    }
}

extension Placed {
    /// True when this is a one-line text whose layout reads `text` (checked by its width).
    func isCell(_ text: String) -> Bool {
        guard case .lines(let layout, _, _, _, _) = self else { return false }
        let document = PDFDocument(pageSize: Size(100, 100), title: "", author: "", subject: "")
        return abs(layout.size.width - document.canvas.measure(text, font: .sans(9, bold: true)).width) < 0.01
    }
}
