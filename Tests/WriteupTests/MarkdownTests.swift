import Foundation
import Testing
@testable import Writeup

@Suite struct MarkdownTests {
    @Test func inlinesAreReadAndStyledAsPangoMarkup() {
        let blocks = MarkdownParser.blocks("a *b* **c** `d<e` & <f>\n")
        #expect(blocks == [.paragraph([.text("a "), .emphasis([.text("b")]), .text(" "), .strong([.text("c")]), .text(" "),
                                       .code("d<e"), .text(" & ")])])
        guard case .paragraph(let inlines) = blocks[0] else { return }
        #expect(StyledText(inlines).markup == "a <i>b</i> <b>c</b> <span font_family=\"DejaVu Sans Mono\" size=\"90%\">"
                + "<span allow_breaks=\"false\">d&lt;e</span></span> &amp; ")
    }

    @Test func anchorsAndLinksAreRead() {
        let blocks = MarkdownParser.blocks("## 2. Data <a id=\"section-data\"></a>\n\nSee [Figure 1](#figure-a) and <https://example.org>.\n")
        #expect(blocks == [
            .heading(level: 2, [.text("2. Data "), .anchor("section-data")]),
            .paragraph([.text("See "), .link(destination: "#figure-a", [.text("Figure 1")]), .text(" and "),
                        .link(destination: "https://example.org", [.text("https://example.org")]), .text(".")]),
        ])
        #expect(blocks[0].declaredAnchor == "section-data")
    }

    @Test func linksKnowTheBytesTheyCover() {
        // "Zoë " is 5 bytes in UTF-8.
        let text = StyledText([.text("Zoë "), .link(destination: "#figure-a", [.text("Figure 1")]), .text(" and "),
                               .link(destination: "https://example.org", [.code("x")])])
        #expect(text.links.map(\.bytes) == [5..<13, 18..<19])
        #expect(text.markup.contains("<span allow_breaks=\"false\">Figure 1</span>"))
        #expect(text.links.map(\.target) == [.destination("figure-a"), .uri("https://example.org")])
    }

    @Test func figuresTakeTheTextAfterTheImageAsCaption() {
        #expect(MarkdownParser.blocks("![alt](figures/a.svg)\\\n**Figure 1.** Caption.\n") == [
            .figure(source: "figures/a.svg", caption: [.strong([.text("Figure 1.")]), .text(" Caption.")]),
        ])
        #expect(MarkdownParser.blocks("![Only alt](figures/b.svg)\n") == [.figure(source: "figures/b.svg", caption: [.text("Only alt")])])
        #expect(Block.figure(source: "figures/b.svg", caption: []).declaredAnchor == "figure-b")
    }

    @Test func tablesKeepAlignmentsAndTheirCaption() {
        let blocks = MarkdownParser.blocks("**Table 1.** Sizes.\n\n| a | b |\n| :-: | --: |\n| 1 | 2 |\n")
        #expect(blocks == [.table(caption: [.strong([.text("Table 1.")]), .text(" Sizes.")], header: [[.text("a")], [.text("b")]],
                                  rows: [[[.text("1")], [.text("2")]]], alignments: [.center, .right])])
    }

    @Test func headingsListsAndCode() {
        #expect(MarkdownParser.blocks("## 2. *Two*\n\n- x\n- y\n\n```\ncode\n```\n") == [
            .heading(level: 2, [.text("2. "), .emphasis([.text("Two")])]),
            .list(ordered: false, start: 0, items: [[.paragraph([.text("x")])], [.paragraph([.text("y")])]]),
            .code("code"),
        ])
    }

    @Test func templatesRenderInTheSectionsOrderWithoutEscaping() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "## 2. Second\n\n{{#rows}}\n| {{n}} | {{name}} |\n{{/rows}}\n".write(toFile: folder + "/02-b.md.mustache", atomically: true, encoding: .utf8)
        try "# {{title}}\n\n{{#flag}}Shown & kept: {{value}}{{/flag}}{{^flag}}hidden{{/flag}}\n".write(toFile: folder + "/01-a.md.mustache", atomically: true, encoding: .utf8)
        try "not a template".write(toFile: folder + "/README", atomically: true, encoding: .utf8)
        let context: [String: Any] = ["title": "T <1>", "flag": true, "value": "a < b",
                                      "rows": [["n": 1, "name": "one"], ["n": 2, "name": "two"]]]
        let expected = """
        # T <1>

        Shown & kept: a < b

        ## 2. Second

        | 1 | one |
        | 2 | two |

        """
        #expect(try Templates(directory: folder, sections: ["a", "b"]).render(context) == expected)
        #expect(throws: WriteupError(description: "\(folder): no template NN-c.md.mustache")) {
            try Templates(directory: folder, sections: ["a", "b", "c"])
        }
        #expect(throws: WriteupError(description: "\(folder)/02-b.md.mustache belongs to no section of the report (sections: a)")) {
            try Templates(directory: folder, sections: ["a"])
        }
        #expect(throws: WriteupError(description: "\(folder)/none: no such folder of templates")) {
            try Templates(directory: folder + "/none", sections: ["a"])
        }
    }

    @Test func htmlInlinesEachSVGWithItsOwnIdsAndGlyphsOnce() {
        let svg = Data("<?xml version=\"1.0\"?>\n<svg><defs><g><symbol overflow=\"visible\" id=\"glyph0-1\">\n<path d=\"M 0 0\"/>\n</symbol>\n</g>"
            .appending("<clipPath id=\"clip1\"/></defs><use xlink:href=\"#glyph0-1\"/><g clip-path=\"url(#clip1)\"/></svg>").utf8)
        let html = HTMLPage.render(markdown: "# T\n\n![a](figures/a.svg)\n\n![b](figures/b.svg)\n", title: "T",
                                   svgs: ["figures/a.svg": svg, "figures/b.svg": svg])
        for n in 1...2 {
            #expect(html.contains("<svg><defs><g></g><clipPath id=\"f\(n)-clip1\"/></defs><use xlink:href=\"#g0\"/><g clip-path=\"url(#f\(n)-clip1)\"/></svg>"))
        }
        #expect(html.components(separatedBy: "<symbol").count == 2, "one shared glyph")
        #expect(html.contains("<symbol overflow=\"visible\" id=\"g0\">\n<path d=\"M 0 0\"/>\n</symbol>"))
        #expect(!html.contains("<img"))
    }
}
