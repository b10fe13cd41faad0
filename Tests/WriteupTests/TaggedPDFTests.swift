import Foundation
import Graphics
import Testing
@testable import Writeup

/// A short document with one of each kind of block, its figures and links, for the structure tree.
let taggedMarkdown = """
# A tagged report

What the structure tree should show

*1 January 2000 · commit 0123abc*

**Abstract.** One paragraph that says what was found, with a link to [the data](#section-data).

## 1. Data <a id="section-data"></a>

A paragraph before the figure, referring to [Figure 1](#figure-box) and to [a site](https://example.org/é).

![Figure 1](figures/box.svg)\\
**<a id="figure-box"></a>Figure 1.** A box, as in [Table 1](#table-sizes), with a caption long enough to wrap onto a second line that ends here.

**<a id="table-sizes"></a>Table 1.** Sizes.

| layer | size |
| --- | ---: |
| conv1 | 6×28×28 |

- first item
- second item

```
report --retrain
```

## References

- <a id="ref-zeiler2013"></a>Zeiler, M. D., & Fergus, R. (2014). Visualizing and understanding convolutional networks. <https://doi.org/10.1007/978-3-319-10590-1_53>
"""

@Suite(.enabled(if: PDFTools.hasPdfinfo, "needs poppler-utils' pdfinfo"))
struct TaggedPDFTests {
    static let figures: [String: any Figure] = ["figures/box.svg": BoxFigure(size: Size(300, 120))]

    func pdf(_ markdown: String = taggedMarkdown) throws -> Data {
        try Typesetter(author: "tests", figures: Self.figures).pdf(markdown: markdown)
    }

    @Test func pdfinfoSaysTaggedAndTheTreeHoldsEveryElementInReadingOrder() throws {
        let pdf = try pdf()
        #expect(try PDFTools.pdfinfo([], pdf).contains(/Tagged:\s+yes/))
        let tree = try PDFTools.structure(pdf)
        let words: [String] = tree.map { $0.text.split(separator: " ").first.map(String.init) ?? "" }
        let elements = words.filter { (word: String) -> Bool in word.first?.isUppercase == true && word != "Object" }
        // Each kind of element, in the order the document has them.
        let expected = ["Document", "H1", "P", "P", "P", "Span", "Link", "Span", "H2", "TOC", "TOCI", "Link", "TOCI", "Link",
                        "H2", "P", "Span", "Link", "Span", "Link", "Span", "Figure", "Caption", "Span", "Link", "Span",
                        "Table", "Caption", "TR", "TH", "TH", "TR", "TD", "TD",
                        "L", "LI", "Lbl", "LBody", "P", "LI", "Lbl", "LBody", "P", "Code",
                        "H2", "L", "LI", "LBody", "P", "Span", "Link"]
        #expect(elements == expected, "pdfinfo -struct-text:\n\(tree.map { String(repeating: "  ", count: $0.depth) + $0.text }.joined(separator: "\n"))")
        // Every piece of text is in the tree, whole: no ligature cuts it short, and a wrapped line
        // keeps the space that ends it.
        let text = tree.map(\.text).filter { $0.hasPrefix("\"") }.map { $0.dropFirst().dropLast() }.joined()
        for phrase in ["A tagged report", "What the structure tree should show", "A paragraph before the figure, referring to ",
                       "Figure 1", "first item", "second item", "report --retrain", "6×28×28", "Visualizing and understanding",
                       "Figure 1. A box, as in Table 1, with a caption long enough to wrap onto a second line that ends here.",
                       "Zeiler, M. D., & Fergus, R. (2014). Visualizing and understanding convolutional networks. https://doi.org"] {
            #expect(text.contains(phrase), "the structure tree's text lacks \"\(phrase)\"")
        }
        // The caption follows its figure, and the table's caption is its first child.
        let figure = try #require(tree.firstIndex { $0.text == "Figure" })
        #expect(tree[figure + 2].text == "Caption" && tree[figure + 2].depth == tree[figure].depth)
    }

    @Test func everyInternalLinkFindsItsNamedDestination() throws {
        let pdf = try pdf()
        let destinations = try PDFTools.destinations(pdf)
        #expect(destinations.isSuperset(of: ["section-data", "figure-box", "table-sizes", "ref-zeiler2013", "references"]), "\(destinations)")
        let links = PDFTools.links(pdf)
        let toAnchors = links.compactMap(\.destination), external = links.compactMap(\.uri)
        // The abstract's, two contents entries, the paragraph's, the caption's.
        #expect(toAnchors.count == 5, "\(links)")
        for name in toAnchors { #expect(destinations.contains(name), "a link goes to \(name), which no destination has") }
        #expect(external == ["https://example.org/%C3%A9", "https://doi.org/10.1007/978-3-319-10590-1_53"])
    }

    @Test func aLinkToNothingIsAnError() {
        #expect(throws: WriteupError(description: "the Markdown links to #figure-none, but no heading, figure, table or paragraph has that anchor")) {
            try pdf("# T\n\n## 1. A\n\nSee [Figure 9](#figure-none).\n")
        }
        #expect(throws: WriteupError.self) { try pdf("# T\n\nA ⟦Figure:x⟧ left over.\n") }
        #expect(throws: WriteupError(description: "two elements have the anchor \"a\"")) {
            try pdf("# T\n\n## 1. A <a id=\"a\"></a>\n\n<a id=\"a\"></a>Text.\n")
        }
    }

    @Test(.enabled(if: PDFTools.hasQpdf, "needs qpdf"))
    func languageAndAlternativeTextsAreAddedByAnIncrementalUpdateQpdfAccepts() throws {
        let pdf = try pdf()
        let check = try PDFTools.run("qpdf", ["--check"], on: pdf)
        #expect(check.status == 0 && check.output.contains("No syntax or stream encoding errors"), "\(check.output)")
        let json = try PDFTools.run("qpdf", ["--json=2", "--json-key=qpdf"], on: pdf).output
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let objects = try #require((root["qpdf"] as? [Any])?.last as? [String: Any])
        let values = objects.values.compactMap { ($0 as? [String: Any])?["value"] as? [String: Any] }
        let catalog = try #require(values.first { $0["/Type"] as? String == "/Catalog" })
        #expect(catalog["/Lang"] as? String == "u:en")
        #expect((catalog["/ViewerPreferences"] as? [String: Any])?["/DisplayDocTitle"] as? Bool == true)
        let figures = values.filter { $0["/S"] as? String == "/Figure" }
        #expect(figures.map { $0["/Alt"] as? String } == ["u:Figure 1. A box, as in Table 1, with a caption long enough to wrap onto a second line that ends here."])
        // Cairo's bytes are kept; the update only appends.
        let plain = try Typesetter(author: "tests", figures: Self.figures, language: "en").pdf(markdown: taggedMarkdown)
        #expect(plain == pdf)
    }
}
