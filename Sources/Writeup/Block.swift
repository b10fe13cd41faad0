/// A block of the report, as the typesetter sees it. Inline text is already Pango markup.
indirect enum Block: Equatable {
    case heading(level: Int, markup: String, plain: String)
    case paragraph(String)
    case list(ordered: Bool, start: Int, items: [[Block]])
    case code(String)
    case quote([Block])
    /// A paragraph that is only an image: drawn as a numbered figure, its alt text the caption.
    case figure(source: String, caption: String)
    /// A GFM table; a paragraph right above it that starts with "Table" is its caption.
    case table(caption: String?, header: [String], rows: [[String]], alignments: [Alignment])
    case rule

    enum Alignment: Equatable { case left, center, right }
}
