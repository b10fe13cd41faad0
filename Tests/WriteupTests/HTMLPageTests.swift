import Foundation
import Graphics
import Testing
@testable import Writeup

/// The reading page: its landmarks, its ids, that it asks the network for nothing, and, in
/// headless Chromium, that a 390 px wide screen never scrolls sideways.
@Suite struct HTMLPageTests {
    static let markdown = taggedMarkdown + """


    ## 2. Wide things <a id="section-wide"></a>

    **<a id="table-wide"></a>Table 2.** A table wider than a phone.

    | \((1...10).map { "column \($0) header" }.joined(separator: " | ")) |
    | \((1...10).map { _ in "---:" }.joined(separator: " | ")) |
    | \((1...10).map { "\($0 * 1234).5 %" }.joined(separator: " | ")) |

    A long link <https://example.org/a/very/long/path/that/goes/on/and/on/without/any/space/at/all/index.html>,
    a formula ±1/√fan-in, and `a_rather_long_code_span_that_has_no_space_in_it_at_all()`.

    ```
    a code block with one line that is much longer than a phone is wide, which scrolls in its own box
    ```
    """

    static func page() throws -> String {
        let svg = try BoxFigure(size: Size(300, 120)).rendered(as: .svg)
        return HTMLPage.render(markdown: markdown, title: "A tagged report", svgs: ["figures/box.svg": svg])
    }

    @Test func landmarksFiguresAndTablesAreThere() throws {
        let html = try Self.page()
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("<nav id=\"contents\" aria-label=\"Contents\">") && html.contains("<main id=\"main\">"))
        #expect(html.contains("<header class=\"title-block\">\n<h1>A tagged report</h1>"))
        #expect(html.contains("<p class=\"meta\"><em>1 January 2000 · commit 0123abc</em></p>"))
        // A figure named by its caption, the SVG inside with its text layer.
        let figure = try #require(html.firstMatch(of: /<figure id="figure-box" aria-labelledby="figure-box-caption">(.*?)<\/figure>/.dotMatchesNewlines()))
        #expect(figure.1.contains("<svg") && figure.1.contains("<figcaption id=\"figure-box-caption\">"))
        #expect(figure.1.contains(">box 300×120</text>"), "the figure's text is real text")
        // A table in a scrolling box, named by its caption.
        #expect(html.contains("<figure class=\"table\" id=\"table-wide\" aria-labelledby=\"table-wide-caption\">"))
        #expect(html.contains("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"table-wide-caption\">"))
        #expect(html.contains("<h2 id=\"section-data\">1. Data <a class=\"anchor\" href=\"#section-data\" aria-label=\"Link to this section\"></a></h2>"))
        #expect(html.contains("<li id=\"ref-zeiler2013\">"))
        #expect(html.contains("<span class=\"nobr\">±1/√fan-in,</span>"))
        #expect(html.contains("@media (prefers-color-scheme: dark)") && html.contains("@media print"))
    }

    @Test func everyLinkToTheDocumentFindsAnIdAndIdsAreUnique() throws {
        let html = try Self.page()
        let ids = html.matches(of: /\sid="([^"]+)"/).map { String($0.1) }
        #expect(Set(ids).count == ids.count, "repeated ids: \(Dictionary(grouping: ids) { $0 }.filter { $1.count > 1 }.keys.sorted())")
        let targets = html.matches(of: /href="#([^"]+)"/).map { String($0.1) }
        #expect(targets.count > 20)
        for target in Set(targets) { #expect(ids.contains(target), "a link goes to #\(target), which no element has") }
    }

    @Test func nothingIsFetched() throws {
        let html = try Self.page()
        for pattern in ["src=", "<link", "@import", "url(http", "url(//", "fetch(", "XMLHttpRequest"] {
            #expect(!html.contains(pattern), "the page holds \(pattern)")
        }
    }

    static let hasChromium = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")

    /// The page's DOM after it ran in headless Chromium at `width` px, with a script that records
    /// how far it scrolls sideways and which elements stick out.
    static func measured(width: Int) throws -> String {
        let probe = """
        <script>
        addEventListener('load', () => {
          const width = innerWidth;
          const out = [...document.querySelectorAll('main *, nav *')].filter(e => !e.closest('.scroll, pre, svg') && e.getBoundingClientRect().right > width + 0.5);
          document.body.setAttribute('data-overflow', document.documentElement.scrollWidth - width);
          document.body.setAttribute('data-wide', out.slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right).join(', '));
          document.body.setAttribute('data-contents-open', document.querySelector('#contents details').open);
        });
        </script>
        """
        let html = try page().replacingOccurrences(of: "</body>", with: probe + "</body>")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("page-\(UUID()).html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),900",
                             "--virtual-time-budget=3000", "--dump-dom", file.absoluteString]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: dom, as: UTF8.self)
    }

    @Test(.enabled(if: hasChromium, "needs chromium"), arguments: [390, 1280])
    func nothingScrollsSideways(width: Int) throws {
        let dom = try Self.measured(width: width)
        let overflow = try #require(dom.firstMatch(of: /data-overflow="(-?[0-9.]+)"/), "the probe did not run")
        let wide = dom.firstMatch(of: /data-wide="([^"]*)"/).map { String($0.1) } ?? ""
        #expect(Double(overflow.1).map { $0 <= 0 } == true, "at \(width) px the page scrolls sideways by \(overflow.1) px; sticking out: \(wide)")
        #expect(wide.isEmpty, "at \(width) px these stick out: \(wide)")
        // The contents fold away on a phone and stay open beside the text on a wide screen.
        #expect(dom.contains("data-contents-open=\"\(width >= 992)\""))
    }
}
