import Foundation
import Graphics

/// Prepares figure SVGs for inlining in one page: each gets its own id prefix; the glyph outlines
/// Cairo writes into every SVG are kept once for the whole page; an image upscaled by a whole
/// factor (see `Canvas.image`) is stored at its original size, which the page draws pixelated.
/// It scans bytes: the page holds megabytes of SVG, too much for regular expressions on Strings.
struct SVGInliner {
    private let svgs: [String: Data]
    private var glyphs: [[UInt8]: String] = [:]   // outline → shared id
    private var definitions: [String] = []
    private var count = 0

    init(_ svgs: [String: Data]) {
        self.svgs = svgs
    }

    /// The SVG of `link` ready to inline, or nil when there is none.
    mutating func inline(_ link: String) -> String? {
        guard let data = svgs[link] else { return nil }
        count += 1
        var bytes = [UInt8](data)
        if let declaration = bytes.firstRange(of: Array("?>".utf8)) { bytes.removeSubrange(0..<declaration.upperBound) }
        let prefix = Array("f\(count)-".utf8)
        bytes = Self.replacing(bytes, [("id=\"", "id=\""), ("href=\"#", "href=\"#"), ("url(#", "url(#")].map { (Array($0.utf8), Array($1.utf8) + prefix) })
        bytes = sharingGlyphs(bytes)
        bytes = Self.shrinkingImages(bytes)
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Each `<symbol overflow="visible" id="ID">OUTLINE</symbol>` taken out and kept once per
    /// distinct outline for the whole page; the references to it pointed at the shared one.
    private mutating func sharingGlyphs(_ bytes: [UInt8]) -> [UInt8] {
        let open = Array("<symbol overflow=\"visible\" id=\"".utf8), close = Array("</symbol>".utf8)
        var kept: [UInt8] = [], local: [[UInt8]: [UInt8]] = [:], start = 0
        while let symbol = bytes[start...].firstRange(of: open) {
            guard let idEnd = bytes[symbol.upperBound...].firstIndex(of: UInt8(ascii: "\"")),
                  let end = bytes[idEnd...].firstRange(of: close) else { break }
            let id = Array(bytes[symbol.upperBound..<idEnd])
            guard id.contains(Array("-glyph".utf8)) else {
                kept += bytes[start..<end.upperBound]
                start = end.upperBound
                continue
            }
            let outline = Array(bytes[(idEnd + 2)..<end.lowerBound])   // after `">`
            let shared = glyphs[outline] ?? {
                let name = "g\(glyphs.count)"
                glyphs[outline] = name
                definitions.append("<symbol overflow=\"visible\" id=\"\(name)\">\(String(decoding: outline, as: UTF8.self))</symbol>")
                return name
            }()
            local[Array("href=\"#".utf8) + id + [UInt8(ascii: "\"")]] = Array("href=\"#\(shared)\"".utf8)
            kept += bytes[start..<symbol.lowerBound]
            start = end.upperBound
            if start < bytes.count, bytes[start] == UInt8(ascii: "\n") { start += 1 }
        }
        kept += bytes[start...]
        return local.isEmpty ? kept : Self.replacing(kept, local.map { ($0.key, $0.value) })
    }

    /// Every embedded PNG stored at its original size when it was upscaled by a whole factor.
    private static func shrinkingImages(_ bytes: [UInt8]) -> [UInt8] {
        let marker = Array("data:image/png;base64,".utf8)
        var out: [UInt8] = [], start = 0
        while let found = bytes[start...].firstRange(of: marker) {
            let end = bytes[found.upperBound...].firstIndex { !isBase64($0) } ?? bytes.count
            out += bytes[start..<found.upperBound]
            let encoded = Data(bytes[found.upperBound..<end])
            if let png = Data(base64Encoded: encoded), let small = PNGShrink.shrunk(png) {
                out += Array(small.base64EncodedString().utf8)
            } else {
                out += encoded
            }
            start = end
        }
        return out + bytes[start...]
    }

    private static func isBase64(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }

    /// `bytes` with every occurrence of each pattern replaced, in one pass from the left (at a
    /// position, the first pattern in `replacements` that matches wins).
    static func replacing(_ bytes: [UInt8], _ replacements: [([UInt8], [UInt8])]) -> [UInt8] {
        let byFirst = Dictionary(grouping: replacements, by: { $0.0[0] })
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var i = 0
        while i < bytes.count {
            if let candidates = byFirst[bytes[i]],
               let match = candidates.first(where: { i + $0.0.count <= bytes.count && bytes[i..<(i + $0.0.count)].elementsEqual($0.0) }) {
                out += match.1
                i += match.0.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The shared glyph outlines, in a hidden SVG of their own.
    var sharedDefinitions: String {
        guard !definitions.isEmpty else { return "" }
        return "<svg class=\"glyphs\" aria-hidden=\"true\" width=\"0\" height=\"0\"><defs>\n" + definitions.joined(separator: "\n") + "\n</defs></svg>"
    }
}
