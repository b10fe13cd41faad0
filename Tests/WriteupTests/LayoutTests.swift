import Foundation
import Graphics
import Testing
@testable import Writeup

/// Page layout: figures float, tables fit their content, formulas and numbers keep together.
@Suite struct LayoutTests {
    func paginate(_ markdown: String, figures: [String: any Figure]) throws -> Typesetter.Layout {
        let (title, body) = TitleBlock.split(MarkdownParser.blocks(markdown))
        let document = PDFDocument(pageSize: Style().pageSize, title: "", author: "", subject: "")
        return try Typesetter(author: "tests", figures: figures).paginate(title: title, body: body, canvas: document.canvas)
    }

    /// The lowest point anything reaches on a page.
    func bottom(of page: Page) -> Double { page.items.compactMap(\.bounds?.maxY).max() ?? 0 }

    @Test func aFigureThatDoesNotFitWaitsForTheNextPageWhileTheTextGoesOn() throws {
        let paragraph = String(repeating: "Text that fills the page before the figure comes. ", count: 12)
        let before = Array(repeating: paragraph, count: 3).joined(separator: "\n\n")
        let after = Array(repeating: paragraph.replacingOccurrences(of: "before", with: "after"), count: 9).joined(separator: "\n\n")
        let markdown = "# T\n\n## 1. One\n\n\(before)\n\n![Figure 1](figures/tall.svg)\\\n**Figure 1.** A tall figure.\n\n\(after)\n\n## 2. Two\n\nThe end.\n"
        let layout = try paginate(markdown, figures: ["figures/tall.svg": BoxFigure(size: Size(463, 480))])
        let style = Style(), content = style.content
        let figurePage = try #require(layout.pages.firstIndex { $0.items.contains { if case .figure = $0 { true } else { false } } })
        let rect = try #require(layout.pages[figurePage].items.lazy.compactMap { if case .figure(_, let r) = $0 { r } else { nil } }.first)
        #expect(abs(rect.y - content.y) < 0.01, "the figure goes to the top of its page, not at \(rect.y)")
        // The text after the figure began on the page before it.
        let earlier = layout.pages[figurePage - 1].items.contains { item in
            if case .lines(let text, _, _, _, _) = item { text.text.contains("after the figure") } else { false }
        }
        #expect(earlier, "the text after the figure should go on where the figure did not fit")
        // No page of the body but the last is more than a quarter empty.
        for p in 1..<(layout.pages.count - 1) {
            let empty = (content.maxY - bottom(of: layout.pages[p])) / content.height
            #expect(empty < 0.25, "page \(p + 1) is \(Int(empty * 100)) % empty")
        }
        #expect(layout.anchors["figure-tall"] == figurePage + 1)
    }

    @Test func floatsKeepTheirOrder() throws {
        let paragraph = String(repeating: "Words. ", count: 300)
        let markdown = "# T\n\n## 1. One\n\n\(paragraph)\n\n" + (1...4).map { "![Figure \($0)](figures/f\($0).svg)\\\n**Figure \($0).** F\($0).\n\n\(paragraph)\n\n" }.joined()
        let figures = Dictionary(uniqueKeysWithValues: (1...4).map { ("figures/f\($0).svg", BoxFigure(size: Size(463, 300 + Double($0) * 20)) as any Figure) })
        let layout = try paginate(markdown, figures: figures)
        let order = layout.pages.flatMap { $0.items.compactMap { if case .destination(let name, _) = $0, name.hasPrefix("figure-") { name } else { nil } } }
        #expect(order == ["figure-f1", "figure-f2", "figure-f3", "figure-f4"])
    }

    @Test func tableColumnsAreSizedByTheirContent() {
        // Table 6 of the report: its first column wrapped while the number columns had room to spare.
        let header = ["checkpoint", "conv1 maps settled", "conv2 maps settled", "conv1 mean strongest", "conv2 mean strongest"]
        let rows = [["step 117 (1/8 of epoch 1)", "3 of 6", "0 of 16", "2.00", "5.00"],
                    ["step 469 (1/2 of epoch 1)", "3 of 6", "0 of 16", "2.30", "5.51"],
                    ["step 9380 (epoch 10)", "6 of 6", "16 of 16", "2.47", "6.52"]]
        let inlines = { (cells: [String]) in cells.map { [Inline.text($0)] } }
        Canvas.measuring { canvas in
            let width = Style().content.width
            let table = TableLayout.fitting(canvas: canvas, header: inlines(header), rows: rows.map(inlines), width: width,
                                            alignments: [.left, .right, .right, .right, .right])
            #expect(abs(table.width - width) < 0.01, "the table takes the text width: \(table.width)")
            for (r, row) in table.rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    #expect(cell.lines.count == 1, "row \(r) column \(c) (\(rows[r][c])) wraps at \(table.columnWidths[c]) pt")
                }
            }
            #expect(table.header.allSatisfy { $0.lines.count <= 2 })
        }
    }

    /// The reproducibility table: its SHA-256 digests once shrank the table to 7.4 pt, the code in it
    /// to 6.7 pt. No text under 7 pt: the digests wrap instead.
    @Test func tableTextStaysAtSevenPointsOrMore() {
        let digest = String(repeating: "1a1a05eab793c14b", count: 4)
        let rows = ["Data/t10k-images-idx3-ubyte.gz", "Data/train-labels-idx1-ubyte.gz", "Report/model.safetensors"].map {
            [[Inline.code($0)], [Inline.code(digest)]]
        }
        #expect(TableLayout.fontSizes.min()! * StyledText.codeScale >= 7)
        Canvas.measuring { canvas in
            let table = TableLayout.fitting(canvas: canvas, header: [[.text("file")], [.text("SHA-256")]], rows: rows,
                                            width: Style().content.width, alignments: [.left, .left])
            #expect(table.fontSize * StyledText.codeScale >= 7, "code at \(table.fontSize * StyledText.codeScale) pt")
            #expect(table.width <= Style().content.width + 0.01)
            #expect(table.rows.allSatisfy { $0[1].lines.count <= 2 }, "a digest takes at most two lines")
        }
    }

    @Test func noLineBreaksInsideAFormulaOrBetweenANumberAndItsUnit() {
        let words = "The weights are uniform in ±1/√fan-in and the accuracy is 99.19 % after 15 s, as Figure 3 shows for 16×5×5 kernels. "
        let text = StyledText([.text(String(repeating: words, count: 3))])
        let kept = ["±1/√fan-in", "99.19 %", "15 s", "Figure 3", "16×5×5"]
        Canvas.measuring { canvas in
            var breaks = 0
            for width in stride(from: 90.0, through: 400, by: 3) {
                let layout = canvas.layout(text.markup, font: .serif(11), width: width, markup: true)
                let bytes = Array(layout.text.utf8)
                let lineStarts = (1..<layout.lines.count).map { layout.byteRange(ofLine: $0).lowerBound }
                breaks += lineStarts.count
                for token in kept {
                    let needle = Array(token.utf8)
                    for start in 0...(bytes.count - needle.count) where Array(bytes[start..<(start + needle.count)]) == needle {
                        let inside = lineStarts.filter { $0 > start && $0 < start + needle.count }
                        #expect(inside.isEmpty, "at \(width) pt a line breaks inside \"\(token)\"")
                    }
                }
            }
            #expect(breaks > 300, "the widths should break lines often: \(breaks)")
        }
    }

    @Test func noBreakRules() {
        #expect(NoBreak.pieces("99.19 % and 15 s, 2.4 MB, Figure 3, section 2, 10 epochs, 3 of 6").filter(\.unbreakable).map(\.text)
                == ["99.19 %", "15 s,", "2.4 MB,", "Figure 3,", "section 2,"])
        #expect(NoBreak.pieces("in ±1/√fan-in, 2 · 3 and −8") == [
            .init(text: "in ", unbreakable: false), .init(text: "±1/√fan-in,", unbreakable: true),
            .init(text: " 2 · 3 and ", unbreakable: false), .init(text: "−8", unbreakable: true),
        ])
    }
}
