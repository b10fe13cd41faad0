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

/// The objects of a PDF as Cairo writes it, found through its cross-reference tables.
struct CairoPDF {
    let bytes: Data
    let offsets: [Int: Int]
    let size: Int, root: Int, info: Int?
    let startxref: Int

    init(_ bytes: Data) throws(RenderingError) {
        self.bytes = bytes
        let text = String(decoding: bytes.suffix(4096), as: UTF8.self)
        guard let match = text.matches(of: /startxref\s+(\d+)/).last, let start = Int(match.1) else {
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
            section = trailer.firstMatch(of: /\/Prev (\d+)/).flatMap { Int($0.1) }
        }
        self.offsets = offsets
        guard let trailer = trailers.first, let size = trailer.firstMatch(of: /\/Size (\d+)/).flatMap({ Int($0.1) }),
              let root = trailer.firstMatch(of: /\/Root (\d+) 0 R/).flatMap({ Int($0.1) }) else {
            throw RenderingError(description: "the PDF's trailer names no /Size or /Root")
        }
        self.size = size
        self.root = root
        info = trailer.firstMatch(of: /\/Info (\d+) 0 R/).flatMap { Int($0.1) }
    }

    /// The dictionary of object `number` ("<< … >>"), which must not have a stream.
    func dictionary(_ number: Int) throws(RenderingError) -> String {
        guard let offset = offsets[number] else { throw RenderingError(description: "the PDF has no object \(number)") }
        let rest = bytes[(bytes.startIndex + offset)...]
        guard let end = rest.firstRange(of: Data("endobj".utf8)) else { throw RenderingError(description: "object \(number) never ends") }
        let object = String(decoding: rest[..<end.lowerBound], as: UTF8.self)
        guard object.hasPrefix("\(number) 0 obj"), let open = object.range(of: "<<"), !object.contains("stream"),
              let close = object.range(of: ">>", options: .backwards) else {
            throw RenderingError(description: "object \(number) is not a dictionary")
        }
        return String(object[open.lowerBound..<close.upperBound])
    }

    /// The structure elements of type `name`, in the order of the structure tree (depth first),
    /// which is the order in which they were opened.
    func structureElements(named name: String) throws(RenderingError) -> [Int] {
        guard let treeRoot = try dictionary(root).firstMatch(of: /\/StructTreeRoot (\d+) 0 R/).flatMap({ Int($0.1) }) else {
            return []
        }
        var found: [Int] = []
        var stack = try children(of: treeRoot).reversed() as [Int]
        var seen = Set<Int>()
        while let number = stack.popLast() {
            guard seen.insert(number).inserted else { continue }
            let element = try dictionary(number)
            if element.contains("/S /\(name)\n") { found.append(number) }
            stack += try children(of: number).reversed()
        }
        return found
    }

    /// The objects an element's `/K` refers to (other elements), leaving out marked-content ids
    /// and the dictionaries that point at annotations or content on other pages.
    private func children(of number: Int) throws(RenderingError) -> [Int] {
        let element = try dictionary(number)
        guard let k = element.range(of: "/K ") else { return [] }
        var value = String(element[k.upperBound...])
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            value = String(value[..<close])
        } else if let reference = value.prefixMatch(of: /\d+ 0 R/) {
            value = String(reference.0)
        } else {
            return []
        }
        value.replace(/<<[^>]*>>/, with: "")
        return value.matches(of: /(\d+) 0 R/).compactMap { Int($0.1) }
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
