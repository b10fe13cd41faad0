import Foundation
import Mustache

/// The writeup's Markdown templates, one per section, filled by Mustache.
public struct Templates {
    /// Section templates in file-name order.
    public let sections: [(name: String, text: String, template: MustacheTemplate)]

    /// Loads every `*.md.mustache` file of `directory`.
    public init(directory: String) throws(WriteupError) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".md.mustache") }.sorted()
        guard !names.isEmpty else { throw WriteupError(description: "\(directory): no *.md.mustache templates found") }
        var sections: [(String, String, MustacheTemplate)] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw WriteupError(description: "\(path): cannot be read as UTF-8")
            }
            do {
                // Markdown, not HTML: nothing is escaped.
                sections.append((name, text, try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)))
            } catch {
                throw WriteupError(description: "\(path): not a valid Mustache template (\(error))")
            }
        }
        self.sections = sections
    }

    /// Every section rendered with `context`, separated by blank lines. Fails, naming the file
    /// and the tags, when a tag would render as nothing (see `TemplateCheck`).
    public func render(_ context: Any) throws(WriteupError) -> String {
        for section in sections {
            let unresolved: [String]
            do { unresolved = try TemplateCheck.unresolvedTags(in: section.text, context: context) } catch {
                throw WriteupError(description: "\(section.name): \(error.description)")
            }
            if !unresolved.isEmpty {
                throw WriteupError(description: "\(section.name): \(unresolved.joined(separator: ", ")) "
                    + "\(unresolved.count == 1 ? "has" : "have") no value in the report's data")
            }
        }
        return sections.map { $0.template.render(context) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .joined(separator: "\n\n") + "\n"
    }
}
