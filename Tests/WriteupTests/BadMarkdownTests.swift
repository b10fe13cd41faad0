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

/// Quotes, lists and inlines are read and laid out recursively, so a document that nests without
/// end once overflowed the stack; now it is a one-line error, and ordinary depths still typeset.
@Suite struct DeepMarkdownTests {
    @Test func fiftyThousandNestedQuotesAreAnErrorNotACrash() {
        let markdown = String(repeating: ">", count: 50_000) + " deep\n"
        #expect(throws: WriteupError(description: "the Markdown nests quotes, lists or emphasis more than 100 levels deep")) {
            try Typesetter(author: "t", figures: [:]).pdf(markdown: markdown)
        }
    }

    @Test func nestingUpToTheLimitTypesets() throws {
        let quotes = String(repeating: ">", count: 90) + String(repeating: " quoted text that wraps", count: 20) + "\n"
        let list = (0..<45).map { String(repeating: "  ", count: $0) + "- item\n" }.joined()
        for markdown in [quotes, list] {
            let pdf = try Typesetter(author: "t", figures: [:]).pdf(markdown: markdown)
            #expect(pdf.starts(with: Array("%PDF-".utf8)))
        }
    }
}
