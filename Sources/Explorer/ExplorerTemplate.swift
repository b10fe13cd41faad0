import FileIO
import Foundation

/// The page's three source files, read from `explorer/` in the templates folder. The skeleton
/// names where the style, the script and the data go with `{{explorer.css}}`, `{{explorer.js}}`
/// and `{{data}}`, each exactly once.
struct ExplorerTemplate {
    let skeleton: String, script: String, style: String
    let folder: String

    init(folder templates: String) throws(ExplorerError) {
        let folder = (templates as NSString).appendingPathComponent("explorer")
        (skeleton, script, style) = (try Self.read("explorer.html", in: folder), try Self.read("explorer.js", in: folder),
                                     try Self.read("explorer.css", in: folder))
        self.folder = folder
    }

    static func read(_ name: String, in folder: String) throws(ExplorerError) -> String {
        do { return try FileSystem.readText((folder as NSString).appendingPathComponent(name)) } catch { throw ExplorerError(error.description) }
    }

    /// The skeleton with the style, the script and `data` (JSON) put in their places.
    func fill(data: String) throws(ExplorerError) -> String {
        let html = (folder as NSString).appendingPathComponent("explorer.html")
        // Inline text cannot hold its element's end tag: the browser would end the element there.
        if script.range(of: "</script", options: .caseInsensitive) != nil {
            throw ExplorerError("\((folder as NSString).appendingPathComponent("explorer.js")): contains </script, which would end the inline script")
        }
        if style.range(of: "</style", options: .caseInsensitive) != nil {
            throw ExplorerError("\((folder as NSString).appendingPathComponent("explorer.css")): contains </style, which would end the inline style")
        }
        var page = skeleton
        for (tag, value) in [("{{explorer.css}}", style), ("{{explorer.js}}", script), ("{{data}}", data)] {
            let found = page.components(separatedBy: tag).count - 1
            guard found == 1 else { throw ExplorerError("\(html): \(tag) must appear once, found \(found) times") }
            page = page.replacingOccurrences(of: tag, with: value)
        }
        return page
    }
}
