import FileIO
import Foundation
import Testing
@testable import Network

/// Replays `make fuzz`'s safetensors seeds (Tests/Fuzz/Corpus/safetensors): the valid ones decode
/// and survive a round trip, every other one fails with a one-line error naming the file; none
/// is a LeNet-5 checkpoint.
@Suite struct SafetensorsFuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/safetensors")
    static let valid: Set = ["two-tensors.safetensors", "empty-tensor.safetensors", "no-tensors.safetensors", "f16.safetensors",
                             "nan.safetensors", "lenet-names-wrong-shapes.safetensors"]

    @Test func seedsDecodeOrFailWithOneLine() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(names.count >= 8, "seeds: \(names)")
        for name in names {
            let path = Self.corpus.appendingPathComponent(name).path
            do {
                let file = try Safetensors.read(from: path)
                #expect(Self.valid.contains(name), "\(name) decoded")
                let again = try Safetensors.decode(file.encoded(), path: "again")
                #expect(again.names == file.names && again.metadata == file.metadata, "\(name) changed in a round trip")
                #expect(throws: FileError.self, "\(name) is no LeNet-5") { try LeNet5(checkpoint: file, path: path) }
            } catch {
                #expect(!Self.valid.contains(name), "\(name): \(error)")
                #expect(error.path == path && !error.description.contains("\n"), "\(name): \(error)")
            }
        }
    }
}
