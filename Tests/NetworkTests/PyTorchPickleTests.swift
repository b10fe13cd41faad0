import FileIO
import Testing
@testable import Network

/// `torch.save`'s files are recognised by their first bytes and refused with the Python that
/// converts them; no safetensors file is ever taken for one.
@Suite struct PyTorchPickleTests {
    /// The first bytes of a zip archive whose first entry is `name` (a local file header).
    static func zip(first name: String) -> [UInt8] {
        let name = Array(name.utf8)
        return [0x50, 0x4B, 0x03, 0x04, 0, 0, 8, 8] + [UInt8](repeating: 0, count: 18) + [UInt8(name.count), 0, 0, 0] + name
            + Array("PK more bytes".utf8)
    }

    static let legacy: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E, 0x80]

    @Test func torchSaveFilesAreRecognised() {
        #expect(PyTorchPickle(Self.zip(first: "lenet5/data.pkl")) == .zip)
        #expect(PyTorchPickle(Self.zip(first: "data.pkl")) == .zip)
        #expect(PyTorchPickle(Self.legacy) == .legacy)
        #expect(PyTorchPickle([0x80, 0x04, 0x95, 0x0A, 0, 0, 0, 0, 0, 0, 0]) == .pickle)
        #expect(PyTorchPickle(Self.zip(first: "word/document.xml")) == nil, "another zip archive")
        #expect(PyTorchPickle([0x80, 0x01, 0x95]) == nil && PyTorchPickle([0x50, 0x4B, 0x03, 0x04]) == nil && PyTorchPickle([]) == nil)
    }

    /// A safetensors header 640 bytes long begins with 0x80 0x02, as a protocol-2 pickle does;
    /// its `{` at byte 8 tells them apart.
    @Test func aSafetensorsFileIsNeverTakenForAPickle() throws {
        var file = Safetensors()
        file["x"] = .init(shape: [1], values: [1])
        var bytes = file.encoded()
        let header = Int(bytes[0])
        bytes.replaceSubrange(8..<(8 + header), with: bytes[8..<(8 + header)] + [UInt8](repeating: 0x20, count: 640 - header))
        bytes.replaceSubrange(0..<8, with: [0x80, 0x02, 0, 0, 0, 0, 0, 0])
        #expect(PyTorchPickle(bytes) == nil)
        #expect(try Safetensors.decode(bytes, path: "s") == file)
    }

    @Test func theRefusalGivesThePythonThatConverts() {
        for (bytes, what) in [(Self.zip(first: "archive/data.pkl"), "torch.save's zip archive"), (Self.legacy, "legacy pickle format"),
                              ([0x80, 0x05, 0x95], "a Python pickle")] {
            do {
                _ = try Safetensors.decode(bytes, path: "runs/my \"best\".pt")
                Issue.record("decoded a pickle")
            } catch {
                #expect(error.path == "runs/my \"best\".pt" && !error.description.contains("\n"), "\(error)")
                #expect(error.problem.contains(what) && error.problem.contains("never loaded"), "\(error.problem)")
                #expect(error.problem.contains(#"safetensors.torch.save_file(torch.load("runs/my \"best\".pt", map_location="cpu"), "runs/my \"best\".safetensors")"#),
                        "\(error.problem)")
                #expect(error.problem.contains("state_dict()"), "\(error.problem)")
            }
        }
        #expect(PyTorchPickle.zip.refusal(path: "w.pth").contains(#", "w.safetensors")"#))
        #expect(PyTorchPickle.zip.refusal(path: "weights").contains(#", "weights.safetensors")"#))
    }
}
