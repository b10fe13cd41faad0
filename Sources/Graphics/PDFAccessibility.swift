import Foundation

/// What Cairo 1.16 cannot write into a tagged PDF, added as an incremental update (ISO 32000-1,
/// 7.5.6): new versions of the catalog (with `/Lang` and `/ViewerPreferences << /DisplayDocTitle
/// true >>`) and of each `Figure` structure element (with `/Alt`) appended after Cairo's bytes,
/// with their own cross-reference section and a trailer pointing back at Cairo's. Cairo's objects
/// are left as they are. It reads only what Cairo writes: a classic cross-reference table and
/// dictionaries outside streams.
enum PDFAccessibility {
    static func update(_ pdf: Data, language: String?, figureDescriptions: [String]) throws(RenderingError) -> Data {
        let file = try CairoPDF(pdf)
        var replacements: [(number: Int, dictionary: String)] = []
        var catalog = try file.dictionary(file.root)
        var additions = "/ViewerPreferences << /DisplayDocTitle true >>"
        if let language { additions += " /Lang \(pdfString(language))" }
        catalog = insert(additions, into: catalog)
        replacements.append((file.root, catalog))

        let figures = try file.structureElements(named: "Figure")
        guard figures.count == figureDescriptions.count else {
            throw RenderingError(description:
                "the PDF has \(figures.count) Figure elements but \(figureDescriptions.count) alternative texts")
        }
        for (number, description) in zip(figures, figureDescriptions) {
            replacements.append((number, insert("/Alt \(pdfString(description))", into: try file.dictionary(number))))
        }
        return file.appending(replacements)
    }

    /// `entries` added as the last entries of `dictionary` ("<< … >>").
    static func insert(_ entries: String, into dictionary: String) -> String {
        guard let close = dictionary.range(of: ">>", options: .backwards) else { return dictionary }
        return dictionary[..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines) + "\n   " + entries + "\n>>"
    }

    /// A PDF text string: literal when it is printable ASCII, else UTF-16BE with a byte order mark.
    static func pdfString(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return "(" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)") + ")"
        }
        return "<FEFF" + text.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }
}

/// The objects of a PDF as Cairo writes it, found through its cross-reference tables. It scans
/// bytes: a report's tree has thousands of elements, each read twice.
struct CairoPDF {
    let bytes: Data
    let offsets: [Int: Int]
    let size: Int, root: Int, info: Int?
    let startxref: Int

    init(_ bytes: Data) throws(RenderingError) {
        self.bytes = bytes
        let end = String(decoding: bytes.suffix(4096), as: UTF8.self)
        guard let keyword = end.range(of: "startxref", options: .backwards),
              let start = Self.integer(end[keyword.upperBound...].drop { $0.isWhitespace }) else {
            throw RenderingError(description: "the PDF has no startxref")
        }
        startxref = start
        // Each cross-reference section and its trailer, newest first, following /Prev.
        var offsets: [Int: Int] = [:]
        var section: Int? = start, trailers: [Substring] = []
        while let position = section, position < bytes.count, trailers.count < 100 {
            let tail = String(decoding: bytes[(bytes.startIndex + position)...], as: UTF8.self)
            guard tail.hasPrefix("xref"), let trailerRange = tail.range(of: "trailer") else {
                throw RenderingError(description: "the PDF's cross-reference table is not where startxref says")
            }
            var lines = tail[..<trailerRange.lowerBound].split(whereSeparator: \.isNewline).dropFirst().makeIterator()
            while let header = lines.next() {
                let fields = header.split(separator: " ").compactMap { Int($0) }
                guard fields.count == 2 else {
                    throw RenderingError(description: "a cross-reference subsection header reads \"\(header)\"")
                }
                for number in fields[0]..<(fields[0] + fields[1]) {
                    guard let entry = lines.next() else { throw RenderingError(description: "the cross-reference table ends early") }
                    let parts = entry.split(separator: " ")
                    if parts.count >= 3, parts[2] == "n", let offset = Int(parts[0]), offsets[number] == nil { offsets[number] = offset }
                }
            }
            let trailer = tail[trailerRange.upperBound...].prefix { $0 != "%" }
            trailers.append(trailer)
            section = Self.value(of: "/Prev", in: trailer)
        }
        self.offsets = offsets
        guard let trailer = trailers.first, let size = Self.value(of: "/Size", in: trailer),
              let root = Self.reference(of: "/Root", in: trailer) else {
            throw RenderingError(description: "the PDF's trailer names no /Size or /Root")
        }
        self.size = size
        self.root = root
        info = Self.reference(of: "/Info", in: trailer)
    }

    /// The dictionary of object `number` ("<< … >>"), which must not have a stream.
    func dictionary(_ number: Int) throws(RenderingError) -> String {
        guard let offset = offsets[number], offset < bytes.count else { throw RenderingError(description: "the PDF has no object \(number)") }
        let start = bytes.startIndex + offset
        guard let end = Self.find("endobj", in: bytes, from: start) else { throw RenderingError(description: "object \(number) never ends") }
        let object = String(decoding: bytes[start..<end], as: UTF8.self)
        guard object.hasPrefix("\(number) 0 obj"), let open = object.range(of: "<<"), !object.contains("stream"),
              let close = object.range(of: ">>", options: .backwards) else {
            throw RenderingError(description: "object \(number) is not a dictionary")
        }
        return String(object[open.lowerBound..<close.upperBound])
    }

    /// The structure elements of type `name`, in the order of the structure tree (depth first),
    /// which is the order in which they were opened.
    func structureElements(named name: String) throws(RenderingError) -> [Int] {
        guard let treeRoot = Self.reference(of: "/StructTreeRoot", in: try dictionary(root)[...]) else { return [] }
        var found: [Int] = []
        var stack = [treeRoot]
        var seen = Set<Int>()
        while let number = stack.popLast() {
            guard seen.insert(number).inserted else { continue }
            let element = try dictionary(number)
            if number != treeRoot, element.contains("/S /\(name)\n") { found.append(number) }
            stack += Self.children(element).reversed()
        }
        return found
    }

    /// The objects an element's `/K` refers to (other elements), leaving out marked-content ids
    /// and the dictionaries that point at annotations or content on other pages.
    static func children(_ element: String) -> [Int] {
        guard let k = element.range(of: "/K ") else { return [] }
        var value = element[k.upperBound...]
        if value.first == "[", let close = value.firstIndex(of: "]") {
            value = value[value.index(after: value.startIndex)..<close]
        } else if let number = integer(value), value.dropFirst(String(number).count).hasPrefix(" 0 R") {
            return [number]
        } else {
            return []
        }
        // "n 0 R" outside nested dictionaries ("<< /Type /MCR … >>").
        var children: [Int] = [], depth = 0
        let words = value.replacingOccurrences(of: "<<", with: " << ").replacingOccurrences(of: ">>", with: " >> ")
            .split { $0 == " " || $0.isNewline }
        for (i, word) in words.enumerated() {
            if word == "<<" { depth += 1 } else if word == ">>" { depth -= 1 }
            if depth == 0, i + 2 < words.count, words[i + 1] == "0", words[i + 2] == "R", let number = Int(word) { children.append(number) }
        }
        return children
    }

    /// The whole number that `text` starts with.
    static func integer(_ text: Substring) -> Int? { Int(text.prefix { $0.isASCII && $0.isNumber }) }

    /// The number after `key` ("/Size 12").
    static func value(of key: String, in text: Substring) -> Int? {
        text.range(of: key + " ").flatMap { integer(text[$0.upperBound...]) }
    }

    /// The object `key` refers to ("/Root 3 0 R").
    static func reference(of key: String, in text: Substring) -> Int? {
        guard let range = text.range(of: key + " "), let number = integer(text[range.upperBound...]),
              text[range.upperBound...].dropFirst(String(number).count).hasPrefix(" 0 R") else { return nil }
        return number
    }

    /// Where `word` next occurs in `bytes` at or after `start`.
    static func find(_ word: String, in bytes: Data, from start: Data.Index) -> Data.Index? {
        let pattern = Array(word.utf8)
        return bytes.withUnsafeBytes { buffer -> Data.Index? in
            let bytes8 = buffer.bindMemory(to: UInt8.self)
            var i = start - bytes.startIndex
            while i + pattern.count <= bytes8.count {
                if bytes8[i] == pattern[0], bytes8[i..<(i + pattern.count)].elementsEqual(pattern) { return bytes.startIndex + i }
                i += 1
            }
            return nil
        }
    }

    /// The file with new versions of `objects` appended as an incremental update.
    func appending(_ objects: [(number: Int, dictionary: String)]) -> Data {
        var data = bytes
        if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        var table = "xref\n"
        for (number, dictionary) in objects.sorted(by: { $0.number < $1.number }) {
            table += "\(number) 1\n" + String(format: "%010ld 00000 n \n", data.count)
            data.append(Data("\(number) 0 obj\n\(dictionary)\nendobj\n".utf8))
        }
        let xref = data.count
        let infoEntry = info.map { " /Info \($0) 0 R" } ?? ""
        table += "trailer\n<< /Size \(size) /Root \(root) 0 R\(infoEntry) /Prev \(startxref) >>\nstartxref\n\(xref)\n%%EOF\n"
        data.append(Data(table.utf8))
        return data
    }
}
