import Testing
@testable import Writeup

/// Placeholders become labels (anchors) in their own caption or heading and links elsewhere.
@Suite struct CrossReferencesTests {
    let fig = { CrossReferences.placeholder(.figure, $0) }
    let tab = { CrossReferences.placeholder(.table, $0) }
    let sec = { CrossReferences.placeholder(.section, $0) }

    @Test func figuresAndTablesAreNumberedByTheirCaptionsAndLinked() {
        let text = """
        As \(fig("b")) and \(tab("x")) show, \(fig("a")) comes first.

        ![\(fig("a"))](figures/a.svg)\\
        **\(fig("a")).** The first figure.

        **\(tab("x")).** A table.

        ![\(fig("b"))](figures/b.svg)\\
        **\(fig("b")).** The second, as in \(fig("a")).
        """
        #expect(CrossReferences.resolve(text) == """
        As [Figure 2](#figure-b) and [Table 1](#table-x) show, [Figure 1](#figure-a) comes first.

        ![Figure 1](figures/a.svg)\\
        **<a id="figure-a"></a>Figure 1.** The first figure.

        **<a id="table-x"></a>Table 1.** A table.

        ![Figure 2](figures/b.svg)\\
        **<a id="figure-b"></a>Figure 2.** The second, as in [Figure 1](#figure-a).
        """)
    }

    @Test func unlabelledNamesAreNumberedAfterTheLabelledInOrderOfMention() {
        let text = "\(fig("z")) and \(fig("y"))\n\n**\(fig("y")).** Caption.\n"
        #expect(CrossReferences.resolve(text) == "[Figure 2](#figure-z) and [Figure 1](#figure-y)\n\n**<a id=\"figure-y\"></a>Figure 1.** Caption.\n")
    }

    @Test func sectionsTakeTheirNumberFromTheHeadingAndACapitalAtASentenceStart() {
        let text = """
        ## 2. Data \(sec("data"))

        See \(sec("arch")) for the layers. \(sec("arch")) also lists sizes (e.g. \(sec("data"))).
        A line that wraps before
        \(sec("data")) stays lower case.

        \(sec("arch")) opens a paragraph.

        - \(sec("data")) opens an item
        1. *\(sec("data"))* too

        ### 3.1 Layers \(sec("arch"))
        """
        #expect(CrossReferences.resolve(text) == """
        ## 2. Data <a id="section-data"></a>

        See [section 3.1](#section-arch) for the layers. [Section 3.1](#section-arch) also lists sizes (e.g. [section 2](#section-data)).
        A line that wraps before
        [section 2](#section-data) stays lower case.

        [Section 3.1](#section-arch) opens a paragraph.

        - [Section 2](#section-data) opens an item
        1. *[Section 2](#section-data)* too

        ### 3.1 Layers <a id="section-arch"></a>
        """)
    }

    @Test func unknownKindsAreLeftAlone() {
        #expect(CrossReferences.resolve("⟦Equation:e⟧ and ⟦Figure⟧") == "⟦Equation:e⟧ and ⟦Figure⟧")
    }
}
