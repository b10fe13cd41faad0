import Graphics
import Foundation

/// The report as one self-contained reading page: the contents in a sidebar (a bar that folds
/// away on narrow screens), the title block, then the text with anchored headings, figures as
/// `<figure>`s with their SVG inline, and tables that scroll in their own box. Light and dark
/// colour schemes, a print style sheet, and no request to the network: everything is in the file.
public enum HTMLPage {
    /// `svgs` maps an image link (e.g. `figures/samples.svg`) to that file's contents.
    public static func render(markdown: String, title: String, svgs: [String: Data], language: String = "en") -> String {
        let blocks = MarkdownParser.blocks(markdown)
        let (titleBlock, body) = TitleBlock.split(blocks)
        var writer = HTMLWriter(headingAnchors: body.headings.map(\.anchor), svgs: SVGInliner(svgs))
        writer.titleBlock(titleBlock)
        writer.blocks(body)
        let contents = contentsHTML(body.headings.filter { (2...3).contains($0.level) })
        return """
        <!DOCTYPE html>
        <html lang="\(escapeXML(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(escapeXML(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <a class="skip" href="#main">Skip to the text</a>
        <nav id="contents" aria-label="Contents">
        <details open>
        <summary>Contents</summary>
        \(contents)
        </details>
        </nav>
        <main id="main">
        \(writer.html)
        </main>
        \(writer.svgs.sharedDefinitions)
        <script>
        \(script)
        </script>
        </body>
        </html>

        """
    }

    /// The contents as nested ordered lists: chapters, and their sections under them.
    static func contentsHTML(_ headings: [(level: Int, inlines: [Inline], anchor: String)]) -> String {
        var html = "<ol>\n", inSub = false, open = false
        for heading in headings {
            let link = "<a href=\"#\(escapeXML(heading.anchor))\">\(escapeXML(heading.inlines.plainText))</a>"
            if heading.level == 2 {
                if inSub { html += "</ol>"; inSub = false }
                if open { html += "</li>\n" }
                html += "<li>" + link
                open = true
            } else {
                if !inSub { html += "<ol>\n"; inSub = true }
                html += "<li>\(link)</li>\n"
            }
        }
        if inSub { html += "</ol>" }
        if open { html += "</li>\n" }
        return html + "</ol>"
    }

    /// Folds the contents away on a narrow screen, and after a link in them is followed there.
    static let script = """
    (() => {
      const contents = document.querySelector('#contents details');
      const narrow = matchMedia('(max-width: 61.99em)');
      const fit = () => { contents.open = !narrow.matches; };
      fit();
      narrow.addEventListener('change', fit);
      contents.addEventListener('click', event => { if (narrow.matches && event.target.closest('a')) contents.open = false; });
    })();
    """
}
