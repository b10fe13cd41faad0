import Foundation
import Testing
@testable import Writeup

/// Replays `make fuzz`'s markdown seeds (Tests/Fuzz/Corpus/markdown): each typesets to a PDF, or
/// fails with a one-line error when it shows a figure (none is drawn) or nests too deep.
@Suite struct MarkdownFuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/markdown")
    static let failing: Set = ["missing-figure.md", "image-in-list.md", "nested-too-deep.md"]

    @Test func seedsTypesetOrFailWithOneLine() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(names.count >= 6, "seeds: \(names)")
        for name in names {
            let data = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
            do {
                let pdf = try Typesetter(author: "t", figures: [:]).pdf(markdown: String(decoding: data, as: UTF8.self))
                #expect(!Self.failing.contains(name) && pdf.starts(with: Array("%PDF-".utf8)), "\(name) typeset")
            } catch {
                #expect(Self.failing.contains(name) && !error.description.contains("\n"), "\(name): \(error)")
            }
        }
    }
}
