import Foundation
import Testing
@testable import Writeup

/// Tags that would render as nothing are found, following Mustache's lookup and sections.
struct TemplateCheckTests {
    struct Row { let n: Int; let name: String }
    struct Inner { let value: String; let missing: String? }
    struct Context {
        let title: String
        let flag: Bool
        let rows: [Row]
        let inner: Inner
        let absent: Inner?
        let tags: [String: String]
    }

    static let context = Context(title: "T", flag: false, rows: [Row(n: 1, name: "one")], inner: Inner(value: "v", missing: nil),
                                 absent: nil, tags: ["a": "A"])

    func unresolved(_ text: String) throws -> [String] {
        try TemplateCheck.unresolvedTags(in: text, context: Self.context)
    }

    @Test func resolvedTagsPass() throws {
        #expect(try unresolved("{{title}} {{#rows}}{{n}} {{name}} {{title}}{{/rows}} {{inner.value}} {{tags.a}} {{{title}}} {{&title}}") == [])
        // A false flag or a nil section skips what is inside; an inverted one checks it.
        #expect(try unresolved("{{#flag}}{{nothing}}{{/flag}}{{#absent}}{{value}}{{/absent}}{{^flag}}{{title}}{{/flag}}") == [])
        #expect(try unresolved("{{#inner}}{{value}} {{title}}{{/inner}}{{! a comment }}") == [])
    }

    /// swift-mustache does not unwrap an Optional stored in a dictionary (its fields render as
    /// nothing, which is how a report once lost its training section), so the check does not either.
    @Test func anOptionalInADictionaryIsNotLookedThrough() throws {
        let inner: Inner? = Inner(value: "v", missing: nil)
        let context: [String: Any] = ["inner": inner as Any, "plain": Inner(value: "v", missing: nil)]
        #expect(try TemplateCheck.unresolvedTags(in: "{{inner.value}} {{plain.value}}", context: context) == ["{{inner.value}}"])
    }

    @Test func missingAndNilTagsAreNamed() throws {
        #expect(try unresolved("{{titel}} {{inner.missing}} {{inner.nope}} {{tags.b}} {{#rows}}{{nam}}{{/rows}}")
                == ["{{titel}}", "{{inner.missing}}", "{{inner.nope}}", "{{tags.b}}", "{{nam}}"])
        #expect(try unresolved("{{#flg}}x{{/flg}}{{^flag}}{{absent.value}}{{/flag}}") == ["{{#flg}}", "{{absent.value}}"])
    }

    @Test func malformedTemplatesThrow() {
        #expect(throws: WriteupError.self) { try unresolved("{{#rows}}unclosed") }
        #expect(throws: WriteupError.self) { try unresolved("{{/rows}}") }
        #expect(throws: WriteupError.self) { try unresolved("{{title") }
    }

    @Test func renderingRefusesAnUnresolvedTag() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "# {{title}} {{subtitle}}\n".write(toFile: folder + "/01-a.md.mustache", atomically: true, encoding: .utf8)
        #expect(throws: WriteupError(description: "01-a.md.mustache: {{subtitle}} has no value in the report's data")) {
            try Templates(directory: folder, sections: ["a"]).render(Self.context)
        }
    }
}

/// The article a number takes is chosen from how it is read aloud, in Swift and in rendered templates.
struct ArticleTests {
    @Test(arguments: [("5", "a 5"), ("8", "an 8"), ("8×8", "an 8×8"), ("11", "an 11"), ("18", "an 18"), ("84", "an 84"),
                      ("110", "a 110"), ("180", "a 180"), ("800", "an 800"), ("11000", "an 11000"), ("1", "a 1"), ("conv1", "a conv1")])
    func articleFollowsTheSpokenNumber(text: String, expected: String) {
        #expect(Templates.withArticle(text) == expected)
    }

    @Test func aRenderedTemplateTakesTheArticleOfItsNumbers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("article-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "A {{n}}, a {{m}} and a\n{{n}}×{{n}}; a {{m}}{{n}} but data {{n}}\n".write(toFile: folder + "/01-a.md.mustache", atomically: true, encoding: .utf8)
        let context: [String: Any] = ["n": 8, "m": 3]
        // Only the word "a": not the "a" that ends "data".
        #expect(try Templates(directory: folder, sections: ["a"]).render(context) == "An 8, a 3 and an\n8×8; a 38 but data 8\n")
    }
}
