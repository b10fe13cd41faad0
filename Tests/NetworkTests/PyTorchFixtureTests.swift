import FileIO
import Foundation
import Testing
@testable import Network

/// The files PyTorch itself wrote (Tests/Fixtures/make_pytorch_fixtures.py): one LeNet-5 under
/// three naming schemes loads as the same weights; its torch.save files and another network are
/// refused in one line.
@Suite struct PyTorchFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    static func load(_ name: String) throws -> (LeNet5, CheckpointNames) {
        let file = try Safetensors.read(from: path(name))
        let names = try CheckpointNames(file, path: path(name))
        return (try LeNet5(checkpoint: file, names: names, path: path(name)), names)
    }

    @Test func everyNamingLoadsTheSameWeights() throws {
        let (own, ownNames) = try Self.load("lenet5.safetensors")
        let (parallel, parallelNames) = try Self.load("lenet5-dataparallel.safetensors")
        let (sequential, sequentialNames) = try Self.load("lenet5-sequential.safetensors")
        #expect(ownNames.areOwn && own.normalization == nil, "save_file(model.state_dict()) records no normalisation")
        #expect(parallelNames.rule == .names(prefix: "module."))
        #expect(sequentialNames.rule == .shapes
            && sequentialNames.summary == "features.0 → conv1, features.3 → conv2, classifier.0 → fc1, classifier.2 → fc2, classifier.4 → fc3 (matched by shape)")
        #expect(parallel.parameters == own.parameters && parallel.normalization == nil)
        #expect(sequential.parameters == own.parameters, "the same floats, bit for bit")
        #expect(sequential.normalization == InputNormalization(mean: 0.1307, std: 0.3081), "from the file's metadata")
    }

    @Test(arguments: [("lenet5.pt", "torch.save's zip archive"), ("lenet5-legacy.pt", "legacy pickle format")])
    func torchSaveFilesAreRefusedWithTheConversion(_ name: String, _ what: String) throws {
        let bytes = try FileSystem.read(Self.path(name))
        #expect(bytes.count > 200_000, "the fixture is the whole model")
        do {
            _ = try Safetensors.decode(bytes, path: name)
            Issue.record("\(name) decoded")
        } catch {
            #expect(error.problem.contains(what) && !error.description.contains("\n"), "\(error)")
            let stem = name.dropLast(3)
            #expect(error.problem.contains(#"safetensors.torch.save_file(torch.load("\#(name)", map_location="cpu"), "\#(stem).safetensors")"#),
                    "\(error)")
        }
    }

    @Test func anotherNetworkIsRefusedNamingItsFirstTensor() throws {
        let path = Self.path("not-lenet5.safetensors")
        #expect(throws: FileError(path: path, "tensor conv1.weight has shape [8, 1, 3, 3], LeNet-5 needs [6, 1, 5, 5]")) {
            try LeNet5(checkpoint: Safetensors.read(from: path), path: path)
        }
    }
}
