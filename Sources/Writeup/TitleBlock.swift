/// The title page's text: everything before the first `##` heading.
///
///     # Title                                        ← the `#` heading that opens the document
///
///     Subtitle                                       ← the first plain paragraph after it
///
///     *20 May 2025 · commit 4a68265*                 ← a paragraph entirely in emphasis: the
///                                                      metadata line (date, version, commit)
///     **Abstract.** The network reaches 99.19 % …    ← from a paragraph opening with a bold
///                                                      "Abstract": the abstract, to the first `##`
///
/// Each part is optional; any other block before the first `##` follows the abstract.
struct TitleBlock: Equatable {
    var title: [Inline] = []
    var subtitle: [Inline]?
    var metadata: [Inline]?
    var abstract: [Block] = []

    /// Splits the title page off the body.
    static func split(_ blocks: [Block]) -> (TitleBlock, body: [Block]) {
        var block = TitleBlock()
        guard case .heading(1, let title)? = blocks.first else { return (block, blocks) }
        block.title = title
        let end = blocks.dropFirst().firstIndex { if case .heading(let level, _) = $0 { level >= 2 } else { false } } ?? blocks.endIndex
        for part in blocks[1..<end] {
            if case .paragraph(let inlines) = part, block.abstract.isEmpty {
                if isMetadata(inlines), block.metadata == nil {
                    block.metadata = inlines
                    continue
                }
                if !opensAbstract(inlines), block.subtitle == nil, block.metadata == nil {
                    block.subtitle = inlines
                    continue
                }
            }
            block.abstract.append(part)
        }
        return (block, Array(blocks[end...]))
    }

    /// A paragraph whose text is one emphasis (anchors aside).
    static func isMetadata(_ inlines: [Inline]) -> Bool {
        let content = inlines.filter { if case .anchor = $0 { false } else { true } }
        if content.count == 1, case .emphasis = content[0] { return true }
        return false
    }

    /// A paragraph that opens with a bold "Abstract".
    static func opensAbstract(_ inlines: [Inline]) -> Bool {
        guard case .strong(let label)? = inlines.first(where: { if case .anchor = $0 { false } else { true } }) else { return false }
        return label.plainText.hasPrefix("Abstract")
    }

    var plainTitle: String { title.plainText }
    var plainSubtitle: String { subtitle?.plainText ?? "" }
}
