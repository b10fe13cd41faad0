import FileIO
import Foundation
import Testing
@testable import MNIST

/// Replays `make fuzz`'s idx seeds (Tests/Fuzz/Corpus/idx) through what the fuzz target does: the
/// valid ones must read, every other one must fail with a one-line error naming the file.
@Suite struct IDXFuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/idx")
    static let valid = ["images-1.idx3.gz": "images", "labels-3.idx1.gz": "labels", "labels-3.idx1": "labels"]

    /// True when `read` succeeds; a failure must be one line naming `path`.
    func reads(_ path: String, _ read: () throws(FileError) -> Void) -> Bool {
        do {
            try read()
            return true
        } catch {
            #expect(error.path == path && !error.description.contains("\n"), "\(error)")
            return false
        }
    }

    @Test func seedsReadOrFailWithOneLine() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(names.count >= 8, "seeds: \(names)")
        for name in names {
            let path = Self.corpus.appendingPathComponent(name).path
            var bytes: [UInt8] = []
            var read: Set<String> = []
            if reads(path, { () throws(FileError) in bytes = try IDX.contents(of: path).decoded }) {
                if reads(path, { () throws(FileError) in _ = try IDX.readImages(bytes, path: path) }) { read.insert("images") }
                if reads(path, { () throws(FileError) in _ = try IDX.readLabels(bytes, path: path) }) { read.insert("labels") }
            }
            #expect(read == Set(Self.valid[name].map { [$0] } ?? []), "\(name) read as \(read)")
        }
    }
}
