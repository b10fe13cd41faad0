import CCmarkGFM
import Graphics
import Foundation

/// A self-contained HTML page of the Markdown, rendered by cmark-gfm, with every figure's SVG inlined.
public enum HTMLPage {
    /// `svgs` maps an image link (e.g. `figures/samples.svg`) to that file's contents.
    public static func render(markdown: String, title: String, svgs: [String: Data]) -> String {
        var body = MarkdownParser.withDocument(markdown) { root, extensions in
            let rendered = cmark_render_html(root, CMARK_OPT_DEFAULT, extensions)!
            defer { free(rendered) }
            return String(cString: rendered)
        }
        for (index, (link, svg)) in svgs.sorted(by: { $0.key < $1.key }).enumerated() {
            guard let start = body.range(of: "<img src=\"\(link)\"") else { continue }
            guard let end = body[start.upperBound...].range(of: "/>") else { continue }
            body.replaceSubrange(start.lowerBound..<end.upperBound, with: inline(svg, prefix: "f\(index)-"))
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(escapeMarkup(title))</title>
        <style>
        body { font: 16px/1.5 "DejaVu Serif", Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em; color: #222; }
        h1, h2, h3, table, figcaption { font-family: "DejaVu Sans", Helvetica, sans-serif; }
        svg { display: block; max-width: 100%; height: auto; margin: 1em auto 0.3em; }
        table { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0 1.5em; }
        th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; }
        thead th { border-bottom: 1.5px solid #222; }
        code { font-size: 0.85em; }
        pre { background: #f3f3f3; padding: 0.6em; overflow-x: auto; }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// The SVG without its XML declaration, its ids prefixed so that several can share a page.
    static func inline(_ svg: Data, prefix: String) -> String {
        var text = String(decoding: svg, as: UTF8.self)
        if let declaration = text.range(of: "?>") { text.removeSubrange(text.startIndex..<declaration.upperBound) }
        return text.replacingOccurrences(of: "id=\"", with: "id=\"\(prefix)")
            .replacingOccurrences(of: "href=\"#", with: "href=\"#\(prefix)")
            .replacingOccurrences(of: "url(#", with: "url(#\(prefix)")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
