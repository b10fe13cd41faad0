import FileIO
import Foundation
import Mustache

/// The writeup's Markdown templates, one per section, filled by Mustache.
public struct Templates {
    /// Section templates in the order asked for: file name, path and text.
    public let sections: [(name: String, path: String, text: String)]

    /// Loads the template of each section in `names`, in that order: the file of `directory`
    /// named `NN-<name>.md.mustache` (NN, any digits, keeps the folder in reading order). A
    /// missing template, or one that belongs to no section, is an error naming it.
    public init(directory: String, sections names: [String]) throws(WriteupError) {
        guard let all = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw WriteupError(description: "\(directory): no such folder of templates")
        }
        let files = all.filter { $0.hasSuffix(Self.suffix) }.sorted()
        func section(of file: String) -> String? {
            let stem = file.dropLast(Self.suffix.count)
            guard let dash = stem.firstIndex(of: "-"), !stem[..<dash].isEmpty, stem[..<dash].allSatisfy(\.isNumber) else { return nil }
            return String(stem[stem.index(after: dash)...])
        }
        if let stray = files.first(where: { section(of: $0).map { !names.contains($0) } ?? true }) {
            throw WriteupError(description:
                "\(directory)/\(stray) belongs to no section of the report (sections: \(names.joined(separator: ", ")))")
        }
        var sections: [(String, String, String)] = []
        for wanted in names {
            let matching = files.filter { section(of: $0) == wanted }
            guard matching.count == 1, let name = matching.first else {
                throw WriteupError(
                    description: "\(directory): \(matching.isEmpty ? "no" : "more than one") template NN-\(wanted)\(Self.suffix)")
            }
            let path = (directory as NSString).appendingPathComponent(name)
            do { sections.append((name, path, try FileSystem.readText(path))) } catch { throw WriteupError(description: error.description) }
        }
        self.sections = sections
    }

    static let suffix = ".md.mustache"

    /// Every section rendered with `context`, separated by blank lines (see `render(section:_:)`).
    public func render(_ context: Any) throws(WriteupError) -> String {
        var rendered: [String] = []
        for i in sections.indices { rendered.append(try render(section: i, context)) }
        return Self.joined(rendered)
    }

    /// Section `index` rendered with `context`, "a" made "an" before a number that needs it.
    /// Fails, naming the file, when it is not a Mustache template, or a tag would render as nothing
    /// (see `TemplateCheck`). Sections are parsed here, not when loaded, so that threads share it.
    public func render(section index: Int, _ context: Any) throws(WriteupError) -> String {
        let section = sections[index]
        let template: MustacheTemplate
        // Markdown, not HTML: nothing is escaped.
        do { template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + section.text) } catch {
            throw WriteupError(description: "\(section.path): not a valid Mustache template (\(error))")
        }
        let unresolved: [String]
        do { unresolved = try TemplateCheck.unresolvedTags(in: section.text, context: context) } catch {
            throw WriteupError(description: "\(section.name): \(error.description)")
        }
        if !unresolved.isEmpty {
            throw WriteupError(description: "\(section.name): \(unresolved.joined(separator: ", ")) "
                + "\(unresolved.count == 1 ? "has" : "have") no value in the report's data")
        }
        return Self.articlesAgreeing(template.render(context)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Rendered sections as one document.
    public static func joined(_ sections: [String]) -> String {
        sections.joined(separator: "\n\n") + "\n"
    }
}

extension Templates {
    /// "5" → "a 5", "8×8" → "an 8×8", "11" → "an 11": the indefinite article a number takes, from
    /// how it is read aloud ("eight", "eleven", "eighteen", "eighty" begin with a vowel).
    public static func withArticle(_ number: String) -> String {
        (readWithVowel(number.prefix { $0.isASCII && $0.isNumber }) ? "an " : "a ") + number
    }

    static func readWithVowel(_ digits: Substring) -> Bool {
        digits.hasPrefix("8") || ((digits.hasPrefix("11") || digits.hasPrefix("18")) && digits.count % 3 == 2)
    }

    /// `text` with each "a" before a number read with a vowel made "an" ("a 8" → "an 8"), so that a
    /// template may write "a {{digit}}" whatever the digit. Scanned by hand, as `NoBreak.glued` is.
    static func articlesAgreeing(_ text: String) -> String {
        var characters = Array(text), i = 0
        while i + 2 < characters.count {
            if characters[i] == "a" || characters[i] == "A", characters[i + 1] == " " || characters[i + 1] == "\n",
               i == 0 || !(characters[i - 1].isLetter || characters[i - 1].isNumber) {
                let digits = Substring(String(characters[(i + 2)...].prefix { $0.isASCII && $0.isNumber }))
                if readWithVowel(digits) { characters.insert("n", at: i + 1) }
            }
            i += 1
        }
        return String(characters)
    }
}
