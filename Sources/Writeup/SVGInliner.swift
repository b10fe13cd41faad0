import Foundation
import Graphics

/// Prepares figure SVGs for inlining in one page: each gets its own id prefix, and the glyph
/// outlines Cairo writes into every SVG are kept once for the whole page.
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
        if let declaration = Self.find(Array("?>".utf8), in: bytes, from: 0) { bytes.removeSubrange(0..<declaration.upperBound) }
        let prefix = Array("f\(count)-".utf8)
        bytes = Self.replacing(bytes, [("id=\"", "id=\""), ("href=\"#", "href=\"#"), ("url(#", "url(#")].map {
            (Array($0.utf8), Array($1.utf8) + prefix)
        })
        bytes = sharingGlyphs(bytes)
        // Without the white space around it.
        let isSpace = { (b: UInt8) in b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
        let first = bytes.firstIndex { !isSpace($0) } ?? bytes.count, last = bytes.lastIndex { !isSpace($0) } ?? first - 1
        return String(decoding: first <= last ? bytes[first...last] : [], as: UTF8.self)
    }

    /// Each `<symbol overflow="visible" id="ID">OUTLINE</symbol>` taken out and kept once per
    /// distinct outline for the whole page; the references to it pointed at the shared one.
    private mutating func sharingGlyphs(_ bytes: [UInt8]) -> [UInt8] {
        let open = Array("<symbol overflow=\"visible\" id=\"".utf8), close = Array("</symbol>".utf8)
        var kept: [UInt8] = [], local: [[UInt8]: [UInt8]] = [:], start = 0
        while let symbol = Self.find(open, in: bytes, from: start) {
            guard let idEnd = bytes[symbol.upperBound...].firstIndex(of: UInt8(ascii: "\"")),
                  let end = Self.find(close, in: bytes, from: idEnd) else { break }
            let id = Array(bytes[symbol.upperBound..<idEnd])
            guard Self.find(Array("-glyph".utf8), in: id, from: 0) != nil else {
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
            local[id] = Array(shared.utf8)
            kept += bytes[start..<symbol.lowerBound]
            start = end.upperBound
            if start < bytes.count, bytes[start] == UInt8(ascii: "\n") { start += 1 }
        }
        kept += bytes[start...]
        return local.isEmpty ? kept : Self.redirecting(kept, local)
    }

    /// `bytes` with each `href="#ID"` whose ID `names` maps pointed at that name instead.
    static func redirecting(_ bytes: [UInt8], _ names: [[UInt8]: [UInt8]]) -> [UInt8] {
        let open = Array("href=\"#".utf8)
        var out: [UInt8] = [], start = 0
        out.reserveCapacity(bytes.count)
        while let reference = find(open, in: bytes, from: start),
              let close = bytes[reference.upperBound...].firstIndex(of: UInt8(ascii: "\"")) {
            out += bytes[start..<reference.upperBound]
            let id = Array(bytes[reference.upperBound..<close])
            out += names[id] ?? id
            start = close
        }
        out += bytes[start...]
        return out
    }

    /// Where `needle` first occurs in `bytes` at or after `start`: memchr finds each candidate
    /// first byte, memcmp checks the rest.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Range<Int>? {
        guard let head = needle.first, start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { pattern in
                let base = haystack.baseAddress!
                var at = start
                while at + pattern.count <= haystack.count, let hit = memchr(base + at, Int32(head), haystack.count - at) {
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    guard offset + pattern.count <= haystack.count else { return nil }
                    if memcmp(base + offset, pattern.baseAddress!, pattern.count) == 0 { return offset..<(offset + pattern.count) }
                    at = offset + 1
                }
                return nil
            }
        }
    }

    /// `bytes` with every occurrence of each pattern replaced, in one pass from the left (at a
    /// position, the first pattern in `replacements` that matches wins).
    static func replacing(_ bytes: [UInt8], _ replacements: [([UInt8], [UInt8])]) -> [UInt8] {
        // The replacements by their first byte: a table, as a dictionary would hash every byte.
        var byFirst = [[([UInt8], [UInt8])]](repeating: [], count: 256)
        for replacement in replacements { byFirst[Int(replacement.0[0])].append(replacement) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var i = 0
        while i < bytes.count {
            if case let candidates = byFirst[Int(bytes[i])], !candidates.isEmpty,
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
        return "<svg class=\"glyphs\" aria-hidden=\"true\" width=\"0\" height=\"0\"><defs>\n"
            + definitions.joined(separator: "\n") + "\n</defs></svg>"
    }
}
