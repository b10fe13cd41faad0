import CCmarkGFM
import Foundation

/// Reads GitHub-flavoured Markdown through cmark-gfm (with its table extension) into `Block`s.
enum MarkdownParser {
    static func blocks(_ markdown: String) -> [Block] {
        withDocument(markdown) { root, _ in attachTableCaptions(children(root).compactMap(block)) }
    }

    /// How deep quotes, lists and inlines may nest. cmark-gfm sets no limit, but the tree is read
    /// and laid out recursively: ten thousand nested `>` overflowed the stack.
    static let maximumNesting = 100

    /// `blocks(_:)`, or an error when the document nests deeper than `maximumNesting`.
    static func checkedBlocks(_ markdown: String) throws(WriteupError) -> [Block] {
        let blocks = withDocument(markdown) { root, _ in
            nestsTooDeep(root) ? nil : attachTableCaptions(children(root).compactMap(block))
        }
        guard let blocks else {
            throw WriteupError(description: "the Markdown nests quotes, lists or emphasis more than \(maximumNesting) levels deep")
        }
        return blocks
    }

    /// Walks the tree without recursion (cmark's iterator) and counts each node's ancestors.
    private static func nestsTooDeep(_ root: OpaquePointer) -> Bool {
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { return false }
            guard event == CMARK_EVENT_ENTER, var node = cmark_iter_get_node(iterator) else { continue }
            var depth = 0
            while let parent = cmark_node_parent(node) {
                depth += 1
                if depth > maximumNesting { return true }
                node = parent
            }
        }
    }

    /// Parses `markdown` with the GFM table extension and passes the document's root and the
    /// parser's extensions (which HTML rendering needs) to `body`.
    static func withDocument<T>(_ markdown: String, _ body: (OpaquePointer, UnsafeMutablePointer<cmark_llist>?) -> T) -> T {
        cmark_gfm_core_extensions_ensure_registered()
        let parser = cmark_parser_new(CMARK_OPT_DEFAULT)!
        defer { cmark_parser_free(parser) }
        if let table = cmark_find_syntax_extension("table") { cmark_parser_attach_syntax_extension(parser, table) }
        cmark_parser_feed(parser, markdown, markdown.utf8.count)
        let root = cmark_parser_finish(parser)!
        defer { cmark_node_free(root) }
        return body(root, cmark_parser_get_syntax_extensions(parser))
    }

    private static func children(_ node: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            result.append(c)
            child = cmark_node_next(c)
        }
        return result
    }

    private static func type(_ node: OpaquePointer) -> String { String(cString: cmark_node_get_type_string(node)) }
    private static func literal(_ node: OpaquePointer) -> String { cmark_node_get_literal(node).map { String(cString: $0) } ?? "" }

    private static func block(_ node: OpaquePointer) -> Block? {
        switch type(node) {
        case "heading":
            return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(node))
        case "paragraph":
            // An image opening a paragraph is a figure; what follows it (after a line break) is the
            // caption, else the image's alt text is.
            let parts = children(node)
            if let image = parts.first, type(image) == "image" {
                let rest = Array(parts.dropFirst().drop { ["softbreak", "linebreak"].contains(type($0)) })
                let caption = trimmed(inlines(of: rest))
                return .figure(source: cmark_node_get_url(image).map { String(cString: $0) } ?? "",
                               caption: caption.isBlank && caption.anchors.isEmpty ? inlines(image) : caption)
            }
            return .paragraph(inlines(node))
        case "list":
            let items = children(node).map { children($0).compactMap(block) }
            return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST, start: Int(cmark_node_get_list_start(node)),
                         items: items)
        case "code_block":
            var code = literal(node)
            if code.hasSuffix("\n") { code.removeLast() }
            return .code(code)
        case "block_quote":
            return .quote(children(node).compactMap(block))
        case "thematic_break":
            return .rule
        case "table":
            let columns = Int(cmark_gfm_extensions_get_table_columns(node))
            let raw = cmark_gfm_extensions_get_table_alignments(node)
            let alignments: [Block.Alignment] = (0..<columns).map { i in
                switch raw?[i] { case UInt8(ascii: "c"): .center; case UInt8(ascii: "r"): .right; default: .left }
            }
            var header: [[Inline]] = [], rows: [[[Inline]]] = []
            for row in children(node) {
                let cells = children(row).map(inlines)
                if cmark_gfm_extensions_get_table_row_is_header(row) != 0 { header = cells } else { rows.append(cells) }
            }
            return .table(caption: nil, header: header, rows: rows, alignments: alignments)
        default:
            return nil   // raw HTML blocks are shown neither in the PDF nor in the page
        }
    }

    private static func inlines(_ node: OpaquePointer) -> [Inline] {
        inlines(of: children(node))
    }

    /// Inline nodes as `Inline`s: soft breaks become spaces and adjacent texts one text; of raw
    /// HTML only an anchor, `<a id="…">` (its `</a>` and any other tag are dropped).
    private static func inlines(of nodes: [OpaquePointer]) -> [Inline] {
        var result: [Inline] = []
        func add(_ inline: Inline) {
            if case .text(let more) = inline, case .text(let text)? = result.last {
                result[result.count - 1] = .text(text + more)
            } else {
                result.append(inline)
            }
        }
        for child in nodes {
            switch type(child) {
            case "text": add(.text(literal(child)))
            case "code": add(.code(literal(child)))
            case "emph": add(.emphasis(inlines(child)))
            case "strong": add(.strong(inlines(child)))
            case "strikethrough": add(.strikethrough(inlines(child)))
            case "link": add(.link(destination: cmark_node_get_url(child).map { String(cString: $0) } ?? "", inlines(child)))
            case "image": inlines(child).forEach(add)
            case "softbreak": add(.text(" "))
            case "linebreak": add(.lineBreak)
            case "html_inline":
                if let match = literal(child).wholeMatch(of: /<a\s+(?:id|name)\s*=\s*"([A-Za-z][A-Za-z0-9_:.\-]*)"\s*\/?>/) {
                    add(.anchor(String(match.1)))
                }
            default: break
            }
        }
        return result
    }

    /// `inlines` without spaces at either end.
    private static func trimmed(_ inlines: [Inline]) -> [Inline] {
        var result = inlines
        if case .text(let text)? = result.first {
            let rest = String(text.drop { $0 == " " })
            if rest.isEmpty { result.removeFirst() } else { result[0] = .text(rest) }
        }
        if case .text(let text)? = result.last {
            let rest = String(text.reversed().drop { $0 == " " }.reversed())
            if rest.isEmpty { result.removeLast() } else { result[result.count - 1] = .text(rest) }
        }
        return result
    }

    /// Moves a "Table …" paragraph that directly precedes a table into the table as its caption.
    private static func attachTableCaptions(_ blocks: [Block]) -> [Block] {
        var result: [Block] = []
        for block in blocks {
            if case .table(nil, let header, let rows, let alignments) = block, case .paragraph(let text)? = result.last,
               text.plainText.hasPrefix("Table") {
                result[result.count - 1] = .table(caption: text, header: header, rows: rows, alignments: alignments)
            } else {
                result.append(block)
            }
        }
        return result
    }
}
