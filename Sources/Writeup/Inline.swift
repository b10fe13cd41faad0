import Foundation

/// Inline content of a block as cmark-gfm reads it, before it becomes Pango markup or HTML.
indirect enum Inline: Equatable {
    case text(String)
    case code(String)
    case emphasis([Inline])
    case strong([Inline])
    case strikethrough([Inline])
    /// A link: `#id` goes to an anchor of the document, anything else is a URI.
    case link(destination: String, [Inline])
    /// `<a id="…"></a>`: gives the block it stands in an anchor, and shows nothing.
    case anchor(String)
    case lineBreak
}

extension [Inline] {
    /// The text without markup and without spaces at either end, for metadata, alternative text
    /// and the contents.
    var plainText: String { rawText.trimmingCharacters(in: .whitespaces) }

    private var rawText: String {
        map { inline in
            switch inline {
            case .text(let text), .code(let text): text
            case .emphasis(let inner), .strong(let inner), .strikethrough(let inner), .link(_, let inner): inner.rawText
            case .anchor: ""
            case .lineBreak: " "
            }
        }.joined()
    }

    /// The ids of the anchors in the content, in order.
    var anchors: [String] {
        flatMap { inline -> [String] in
            switch inline {
            case .anchor(let id): [id]
            case .emphasis(let inner), .strong(let inner), .strikethrough(let inner), .link(_, let inner): inner.anchors
            case .text, .code, .lineBreak: []
            }
        }
    }

    /// True when the content is nothing but anchors and spaces.
    var isBlank: Bool { plainText.allSatisfy(\.isWhitespace) }
}

/// What a link's destination means: `#id` an anchor of this document, anything else a URI.
func linkTarget(_ destination: String) -> (anchor: String?, uri: String) {
    destination.hasPrefix("#") ? (String(destination.dropFirst()), destination) : (nil, destination)
}
