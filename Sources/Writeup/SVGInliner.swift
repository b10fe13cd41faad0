import Foundation
import Graphics

/// Prepares figure SVGs for inlining in one page: each gets its own id prefix; the glyph outlines
/// Cairo writes into every SVG are kept once for the whole page; an image upscaled by a whole
/// factor (see `Canvas.image`) is stored at its original size, which the page draws pixelated.
struct SVGInliner {
    private let svgs: [String: Data]
    private var glyphs: [String: String] = [:]   // outline → shared id
    private var definitions: [String] = []
    private var count = 0

    init(_ svgs: [String: Data]) {
        self.svgs = svgs
    }

    /// The SVG of `link` ready to inline, or nil when there is none.
    mutating func inline(_ link: String) -> String? {
        guard let data = svgs[link] else { return nil }
        count += 1
        var text = String(decoding: data, as: UTF8.self)
        if let declaration = text.range(of: "?>") { text.removeSubrange(text.startIndex..<declaration.upperBound) }
        let prefix = "f\(count)-"
        text = text.replacingOccurrences(of: "id=\"", with: "id=\"\(prefix)")
            .replacingOccurrences(of: "href=\"#", with: "href=\"#\(prefix)")
            .replacingOccurrences(of: "url(#", with: "url(#\(prefix)")
        // Glyph outlines: one definition per distinct outline, shared by every figure.
        var local: [String: String] = [:]
        text.replace(/<symbol overflow="visible" id="(f\d+-glyph\d+-\d+)">(.*?)<\/symbol>\n?/.dotMatchesNewlines()) { match in
            let outline = String(match.2)
            let shared = glyphs[outline] ?? {
                let id = "g\(glyphs.count)"
                glyphs[outline] = id
                definitions.append("<symbol overflow=\"visible\" id=\"\(id)\">\(outline)</symbol>")
                return id
            }()
            local[String(match.1)] = shared
            return ""
        }
        text.replace(/href="#(f\d+-glyph\d+-\d+)"/) { match in "href=\"#\(local[String(match.1)] ?? String(match.1))\"" }
        text.replace(/data:image\/png;base64,([A-Za-z0-9+\/=]+)/) { match in
            guard let png = Data(base64Encoded: String(match.1)), let small = PNGShrink.shrunk(png) else { return match.0 }
            return "data:image/png;base64," + small.base64EncodedString()
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The shared glyph outlines, in a hidden SVG of their own.
    var sharedDefinitions: String {
        guard !definitions.isEmpty else { return "" }
        return "<svg class=\"glyphs\" aria-hidden=\"true\" width=\"0\" height=\"0\"><defs>\n" + definitions.joined(separator: "\n") + "\n</defs></svg>"
    }
}
