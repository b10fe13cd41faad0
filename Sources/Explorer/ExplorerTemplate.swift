import FileIO
import Foundation

/// The page's source files, read from `explorer/` in the templates folder: the skeleton, the
/// style, the computation (`network.js`, also tested on its own under Node), the colour maps
/// (`colours.js`) and the page's script. The skeleton names where each goes with
/// `{{explorer.css}}`, `{{network.js}}`, `{{colours.js}}`, `{{explorer.js}}` and `{{data}}`,
/// each exactly once.
struct ExplorerTemplate {
    static let scripts = ["network.js", "colours.js", "explorer.js"]
    let skeleton: String, style: String
    /// By file name.
    let scripts: [(name: String, text: String)]
    let folder: String

    init(folder templates: String) throws(ExplorerError) {
        let folder = (templates as NSString).appendingPathComponent("explorer")
        skeleton = try Self.read("explorer.html", in: folder)
        var scripts = [(name: String, text: String)]()
        for name in Self.scripts { scripts.append((name, try Self.read(name, in: folder))) }
        self.scripts = scripts
        style = try Self.read("explorer.css", in: folder)
        self.folder = folder
    }

    static func read(_ name: String, in folder: String) throws(ExplorerError) -> String {
        do {
            return try FileSystem.readText((folder as NSString).appendingPathComponent(name))
        } catch {
            throw ExplorerError(error.description)
        }
    }

    /// The skeleton with the style, the scripts and `data` (JSON) put in their places.
    func fill(data: String) throws(ExplorerError) -> String {
        let html = (folder as NSString).appendingPathComponent("explorer.html")
        // Inline text cannot hold its element's end tag: the browser would end the element there.
        for (name, text) in scripts where text.range(of: "</script", options: .caseInsensitive) != nil {
            throw ExplorerError(
                "\((folder as NSString).appendingPathComponent(name)): contains </script, which would end the inline script")
        }
        if style.range(of: "</style", options: .caseInsensitive) != nil {
            throw ExplorerError(
                "\((folder as NSString).appendingPathComponent("explorer.css")): contains </style, which would end the inline style")
        }
        let parts = [("{{explorer.css}}", style)] + scripts.map { ("{{\($0.name)}}", $0.text) } + [("{{data}}", data)]
        var places = [(range: Range<String.Index>, value: String)]()
        for (tag, value) in parts {
            let found = skeleton.components(separatedBy: tag).count - 1
            guard found == 1 else { throw ExplorerError("\(html): \(tag) must appear once, found \(found) times") }
            places.append((skeleton.range(of: tag)!, value))
        }
        // In one pass over the skeleton, so that a part's text that looks like a tag stays as it is.
        var page = "", at = skeleton.startIndex
        for place in places.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            page += skeleton[at..<place.range.lowerBound] + place.value
            at = place.range.upperBound
        }
        page += skeleton[at...]
        return page
    }
}
