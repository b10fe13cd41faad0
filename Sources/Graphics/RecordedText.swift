import CCairo
import Foundation

/// A line of text as a figure drew it: Cairo's SVG surface writes glyph outlines, which nobody can
/// read, search or select, so the SVG gets these lines again as invisible `<text>` on top.
struct RecordedText {
    let text: String
    let font: Font
    /// The user-to-device matrix when it was drawn (xx, yx, xy, yy, x0, y0).
    let matrix: [Double]
    /// Start of the baseline, in user space.
    let origin: Point
    let width: Double

    /// An SVG `<text>` whose glyphs are stretched to the drawn width, so that a selection covers
    /// the outlines whatever font the viewer substitutes.
    var svg: String {
        let transform = matrix == [1, 0, 0, 1, 0, 0] ? "" : " transform=\"matrix(\(matrix.map(Self.number).joined(separator: " ")))\""
        let weight = font.bold ? " font-weight=\"bold\"" : "", style = font.italic ? " font-style=\"italic\"" : ""
        return "<text\(transform) x=\"\(Self.number(origin.x))\" y=\"\(Self.number(origin.y))\" font-family=\"\(font.family)\""
            + " font-size=\"\(Self.number(font.size))\"\(weight)\(style) textLength=\"\(Self.number(width))\""
            + " lengthAdjust=\"spacingAndGlyphs\">\(escapeXML(text))</text>"
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// `svg` with a layer of `texts` before its closing tag: transparent, but read by screen
    /// readers, found by search and selectable.
    static func addingTextLayer(_ texts: [RecordedText], to svg: Data) -> Data {
        guard !texts.isEmpty, var document = String(data: svg, encoding: .utf8),
              let close = document.range(of: "</svg>", options: .backwards) else { return svg }
        let layer = "<g class=\"text\" fill=\"#000\" fill-opacity=\"0\">\n" + texts.map(\.svg).joined(separator: "\n") + "\n</g>\n"
        document.insert(contentsOf: layer, at: close.lowerBound)
        return Data(document.utf8)
    }
}

extension Canvas {
    /// Notes a drawn line of text when this canvas records them (see `RecordedText`).
    func record(_ text: String, font: Font, at origin: Point, width: Double) {
        guard textRecord != nil, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        var m = cairo_matrix_t()
        cairo_get_matrix(context, &m)
        textRecord!.append(RecordedText(text: text.trimmingCharacters(in: .newlines), font: font,
                                        matrix: [m.xx, m.yx, m.xy, m.yy, m.x0, m.y0], origin: origin, width: width))
    }
}

/// Escapes text for XML, HTML and Pango markup (which drops a whole text with an unescaped `&`,
/// `<` or `>`), content and attribute values alike.
public func escapeXML(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        default: escaped.append(c)
        }
    }
    return escaped
}
