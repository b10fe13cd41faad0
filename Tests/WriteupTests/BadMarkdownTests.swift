import Foundation
import Testing
@testable import Writeup

/// Markdown that the typesetter must survive: what `make fuzz`'s markdown target found, and the
/// figure rule it checks (an image shown as a figure without a drawn figure throws, wherever it is).
@Suite struct BadMarkdownTests {
    func typeset(_ markdown: String) throws(WriteupError) -> Data {
        try Typesetter(author: "t", figures: [:]).pdf(markdown: markdown)
    }

    @Test(arguments: [
        "![x](figures/none.svg)\n",
        "- item\n- ![x](figures/none.svg)\n",
        "> > ![x](figures/none.svg)\n",
        "1. a\n   > ![x](figures/none.svg)\\\n   caption\n",
    ])
    func missingFigureThrowsOneLine(markdown: String) {
        do {
            _ = try typeset(markdown)
            Issue.record("typeset an image with no figure drawn")
        } catch {
            #expect(error.description == "the Markdown shows figures/none.svg, but no such figure was drawn")
        }
    }
}
