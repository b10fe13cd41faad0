import Foundation
import Testing
@testable import Writeup

@Suite struct MarkdownTests {
    @Test func inlineMarkupIsEscapedAndStyled() {
        #expect(MarkdownParser.blocks("a *b* **c** `d<e` & <f>\n") == [
            .paragraph("a <i>b</i> <b>c</b> <span font_family=\"DejaVu Sans Mono\" size=\"90%\">d&lt;e</span> &amp; "),
        ])
    }

    @Test func figuresTakeTheTextAfterTheImageAsCaption() {
        #expect(MarkdownParser.blocks("![alt](figures/a.svg)\\\n**Figure 1.** Caption.\n") == [
            .figure(source: "figures/a.svg", caption: "<b>Figure 1.</b> Caption."),
        ])
        #expect(MarkdownParser.blocks("![Only alt](figures/b.svg)\n") == [.figure(source: "figures/b.svg", caption: "Only alt")])
    }

    @Test func tablesKeepAlignmentsAndTheirCaption() {
        let blocks = MarkdownParser.blocks("**Table 1.** Sizes.\n\n| a | b |\n| :-: | --: |\n| 1 | 2 |\n")
        #expect(blocks == [.table(caption: "<b>Table 1.</b> Sizes.", header: ["a", "b"], rows: [["1", "2"]], alignments: [.center, .right])])
    }

    @Test func headingsListsAndCode() {
        #expect(MarkdownParser.blocks("## 2. *Two*\n\n- x\n- y\n\n```\ncode\n```\n") == [
            .heading(level: 2, markup: "2. <i>Two</i>", plain: "2. Two"),
            .list(ordered: false, start: 0, items: [[.paragraph("x")], [.paragraph("y")]]),
            .code("code"),
        ])
    }

    @Test func crossReferencesAreNumberedInOrderOfFirstMention() {
        let fig = { CrossReferences.placeholder(.figure, $0) }, tab = { CrossReferences.placeholder(.table, $0) }
        let text = "\(fig("b")) then \(tab("x")) and \(fig("a")), again \(fig("b"))."
        #expect(CrossReferences.resolve(text) == "Figure 1 then Table 1 and Figure 2, again Figure 1.")
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

    @Test func htmlInlinesEachSVGWithItsOwnIds() {
        let svg = Data("<?xml version=\"1.0\"?>\n<svg><g id=\"glyph0\"/><use xlink:href=\"#glyph0\"/></svg>".utf8)
        let html = HTMLPage.render(markdown: "# T\n\n![a](figures/a.svg)\n\n![b](figures/b.svg)\n", title: "T",
                                   svgs: ["figures/a.svg": svg, "figures/b.svg": svg])
        #expect(html.contains("<svg><g id=\"f0-glyph0\"/><use xlink:href=\"#f0-glyph0\"/></svg>"))
        #expect(html.contains("<svg><g id=\"f1-glyph0\"/><use xlink:href=\"#f1-glyph0\"/></svg>"))
        #expect(!html.contains("<img"))
    }
}
