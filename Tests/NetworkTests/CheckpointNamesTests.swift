import FileIO
import Testing
@testable import Network

/// LeNet-5's ten tensors under the names PyTorch gives them: its own, under a prefix, or in
/// `nn.Sequential` containers, matched by shape; anything else refused in one line.
@Suite struct CheckpointNamesTests {
    static let model = LeNet5(seed: 81)
    static let sequential = ["features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias",
                             "classifier.0.weight", "classifier.0.bias", "classifier.2.weight", "classifier.2.bias",
                             "classifier.4.weight", "classifier.4.bias"]

    /// The model's tensors under `names` (in `Parameter` order), stored in the order of `storage`.
    static func file(_ names: [String], storage: [Int] = Array(0..<10), metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        let parameters = LeNet5.Parameter.allCases
        for i in storage { file[names[i]] = .init(shape: parameters[i].shape, values: Array(model[parameters[i]])) }
        return file
    }

    func refuses(_ file: Safetensors, saying phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try LeNet5(checkpoint: file, path: "m")
            Issue.record("accepted \(file.names)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.path == "m" && !error.description.contains("\n"), "\(error)", sourceLocation: sourceLocation)
            #expect(error.problem.contains(phrase), "\(error.problem)", sourceLocation: sourceLocation)
        }
    }

    @Test func ownNamesNeedNoMapping() throws {
        let names = try CheckpointNames(Self.file(LeNet5.Parameter.allCases.map(\.name)), path: "m")
        #expect(names.areOwn && names.summary == nil && names[.fc2Bias] == "fc2.bias")
    }

    @Test(arguments: ["module.", "model.", "net.", "module.model."])
    func aCommonPrefixIsRemoved(_ prefix: String) throws {
        let file = Self.file(LeNet5.Parameter.allCases.map { prefix + $0.name }, storage: [9, 3, 0, 1, 2, 4, 5, 6, 7, 8])
        let names = try CheckpointNames(file, path: "m")
        #expect(names.rule == .names(prefix: prefix) && names[.conv1Weight] == prefix + "conv1.weight")
        #expect(names.summary == "\(prefix)conv1 → conv1, \(prefix)conv2 → conv2, \(prefix)fc1 → fc1, \(prefix)fc2 → fc2, "
            + "\(prefix)fc3 → fc3 (prefix \(prefix) removed)")
        #expect(try LeNet5(checkpoint: file, path: "m") == Self.model)
    }

    @Test func sequentialIndicesAreMatchedByShape() throws {
        // Stored in safetensors' order (alphabetical: classifier before features, 0.bias before 0.weight).
        let order = Array(0..<10).sorted { Self.sequential[$0] < Self.sequential[$1] }
        let file = Self.file(Self.sequential, storage: order)
        let names = try CheckpointNames(file, path: "m")
        #expect(names.rule == .shapes && names[.conv2Weight] == "features.3.weight" && names[.fc3Bias] == "classifier.4.bias")
        #expect(names.summary == "features.0 → conv1, features.3 → conv2, classifier.0 → fc1, classifier.2 → fc2, classifier.4 → fc3 (matched by shape)")
        #expect(try LeNet5(checkpoint: file, path: "m") == Self.model)

        let prefixed = Self.file(Self.sequential.map { "model." + $0 })
        #expect(try CheckpointNames(prefixed, path: "m").summary?.hasPrefix("model.features.0 → conv1, ") == true)
        #expect(try LeNet5(checkpoint: prefixed, path: "m") == Self.model)
        let bare = Self.file((1...10).map { "layer\($0)" })
        #expect(try LeNet5(checkpoint: bare, path: "m") == Self.model, "names without weight or bias are matched by shape alone")
    }

    @Test func anythingElseIsRefusedNamingTheFirstTensorThatDoesNotFit() {
        // Another network: its first tensor in the names' natural order already has no LeNet-5 shape.
        var other = Safetensors()
        other["conv1.weight"] = .init(shape: [8, 1, 3, 3], values: Array(repeating: 0, count: 72))
        other["conv1.bias"] = .init(shape: [8], values: Array(repeating: 0, count: 8))
        refuses(other, saying: "tensor conv1.weight has shape [8, 1, 3, 3], LeNet-5 needs [6, 1, 5, 5]")
        var renamed = Safetensors()
        renamed["features.0.weight"] = other["conv1.weight"]
        renamed["features.0.bias"] = other["conv1.bias"]
        refuses(renamed, saying: "tensor features.0.bias has shape [8], which no layer of LeNet-5 has: the file holds another network")

        // One layer more (a batch norm after conv1): the second tensor of shape [6].
        var extra = Self.file(Self.sequential)
        extra["features.1.weight"] = .init(shape: [6], values: Array(repeating: 1, count: 6))
        refuses(extra, saying: "tensor features.1.weight has the shape of LeNet-5's conv1.bias, [6], which features.0.bias already has")

        // One layer fewer.
        var missing = Self.file(Self.sequential)
        missing["classifier.4.bias"] = nil
        refuses(missing, saying: "has no tensor of shape [10] for LeNet-5's fc3.bias")

        // A bias kept apart from its weight.
        let swapped = Self.file(Self.sequential.enumerated().map { $0.offset == 1 ? "features.9.bias" : $0.element })
        refuses(swapped, saying: "tensor features.9.bias has the shape of conv1's bias but belongs to another module than features.0.weight")

        // Own names keep their own errors.
        var own = Self.file(LeNet5.Parameter.allCases.map(\.name))
        own["conv2.weight"] = nil
        refuses(own, saying: "has no tensor conv2.weight")
        var prefixedExtra = Self.file(LeNet5.Parameter.allCases.map { "module." + $0.name })
        prefixedExtra["module.bn.weight"] = .init(shape: [6], values: Array(repeating: 1, count: 6))
        refuses(prefixedExtra, saying: "has a tensor module.bn.weight that LeNet-5 does not have")
        refuses(Safetensors(), saying: "has no tensor of shape [6, 1, 5, 5] for LeNet-5's conv1.weight")
    }

    @Test func naturalOrderAndCommonPrefix() {
        #expect(["b.10.weight", "b.2.weight", "a.x", "b.2.bias"].sorted(by: CheckpointNames.naturalOrder)
            == ["a.x", "b.2.bias", "b.2.weight", "b.10.weight"])
        #expect(CheckpointNames.commonPrefix(["module.conv1.weight", "module.fc1.bias"]) == "module.")
        #expect(CheckpointNames.commonPrefix(["a.b.c.weight", "a.b.d.bias"]) == "a.b.")
        #expect(CheckpointNames.commonPrefix(["conv1.weight", "conv1.bias"]) == "conv1.")
        #expect(CheckpointNames.commonPrefix(["conv1.weight", "fc1.bias"]) == "")
        #expect(CheckpointNames.commonPrefix(["weight"]) == "" && CheckpointNames.commonPrefix([]) == "")
    }
}
