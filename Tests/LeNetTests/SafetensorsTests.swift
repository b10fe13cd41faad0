import Foundation
import Testing
@testable import LeNet

@Suite struct SafetensorsTests {
    /// A file as another program might write it: keys in another order, no metadata, no padding.
    static func handWritten(header: String, data: [Float]) -> [UInt8] {
        let json = Array(header.utf8)
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
        for value in data { bytes += withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
        return bytes
    }

    func rejects(_ bytes: [UInt8], saying phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let file = try Safetensors.decode(bytes, path: "bad.safetensors")
            Issue.record("accepted a bad file: \(file.names)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description.hasPrefix("bad.safetensors: "), sourceLocation: sourceLocation)
            #expect(error.description.contains(phrase), "\(error.description)", sourceLocation: sourceLocation)
        }
    }

    @Test func modelRoundTripsThroughTheFileFormat() throws {
        let model = LeNet5(seed: 9)
        let bytes = model.checkpoint(metadata: ["seed": "9"]).encoded()
        let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect((8 + headerLength) % 8 == 0, "data should start 8-byte aligned")
        #expect(bytes.count == 8 + headerLength + 4 * LeNet5.parameterCount)
        let decoded = try Safetensors.decode(bytes, path: "m")
        #expect(decoded.metadata == ["seed": "9"])
        #expect(decoded["conv2.weight"]?.shape == [16, 6, 5, 5])
        #expect(try LeNet5(checkpoint: decoded, path: "m") == model)
        #expect(model.checkpoint(metadata: ["seed": "9"]).encoded() == bytes, "the same model must give the same bytes")
    }

    @Test func readsAFileWrittenElsewhere() throws {
        let header = #"{"b":{"shape":[2],"data_offsets":[12,20],"dtype":"F32"},"a":{"dtype":"F32","shape":[3,1],"data_offsets":[0,12]}}"#
        let file = try Safetensors.decode(Self.handWritten(header: header, data: [1, 2, 3, 4.5, -5]), path: "x")
        #expect(file["a"] == .init(shape: [3, 1], values: [1, 2, 3]))
        #expect(file["b"] == .init(shape: [2], values: [4.5, -5]))
        #expect(file.metadata.isEmpty)
    }

    /// Indices and labels are stored as PyTorch's int64: eight little-endian bytes each, beside F32
    /// tensors, including values that do not fit in 32 bits.
    @Test func integerTensorsRoundTrip() throws {
        var file = Safetensors(metadata: ["split": "test"])
        file["scores"] = .init(shape: [3], values: [0.5, -1, 2])
        file["indices"] = .init(shape: [2, 2], integers: [0, 9_999, -3, 1 << 40])
        let bytes = file.encoded()
        let decoded = try Safetensors.decode(bytes, path: "i")
        #expect(decoded == file)
        #expect(decoded["indices"]?.dtype == .i64 && decoded["indices"]?.integers == [0, 9_999, -3, 1 << 40])
        #expect(decoded["indices"]?.values == [0, 9_999, -3, Float(1 << 40)])
        #expect(decoded["scores"]?.dtype == .f32 && decoded["scores"]?.integers == nil)
        let header = String(decoding: bytes[8..<(8 + Int(bytes[0]) + Int(bytes[1]) << 8)], as: UTF8.self)
        #expect(header.contains(#""indices":{"data_offsets":[12,44],"dtype":"I64","shape":[2,2]}"#), "\(header)")
        #expect(Array(bytes.suffix(8)) == [0, 0, 0, 0, 0, 1, 0, 0], "1 << 40, little-endian")

        let written = Self.handWritten(header: #"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: [])
            + [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(try Safetensors.decode(written, path: "w")["a"] == .init(shape: [1], integers: [-2]))
        rejects(Self.handWritten(header: #"{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}}"#, data: [1, 2]), saying: "needs 16 bytes")

        var model = LeNet5(seed: 1).checkpoint(metadata: [:])
        model["fc3.bias"] = .init(shape: [10], integers: Array(repeating: 0, count: 10))
        #expect(throws: SafetensorsError(path: "m", "tensor fc3.bias has dtype I64, LeNet-5 needs F32")) {
            try LeNet5(checkpoint: model, path: "m")
        }
    }

    @Test func rejectsMalformedFiles() {
        let good = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        rejects([1, 2, 3], saying: "truncated")
        rejects(Self.handWritten(header: good, data: [1, 2]).dropLast(3).map { $0 }, saying: "past the 5 data bytes")
        var long = Self.handWritten(header: good, data: [1, 2])
        long[0] = 200
        rejects(long, saying: "header length 200 runs past the end")
        rejects(Self.handWritten(header: "{not json", data: []), saying: "not a JSON object")
        rejects(Self.handWritten(header: "[1, 2]", data: []), saying: "not a JSON object")
        rejects(Self.handWritten(header: #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [1]), saying: "dtype F16")
        rejects(Self.handWritten(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [1, 2]), saying: "needs 12 bytes")
        rejects(Self.handWritten(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}}"#, data: [1, 2]), saying: "ends at byte 800")
        rejects(Self.handWritten(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: [1, 2]), saying: "no valid data_offsets")
        rejects(Self.handWritten(header: #"{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, data: [1, 2]), saying: "no valid shape")
        rejects(Self.handWritten(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                                 data: [1]), saying: "overlaps")
        rejects(Self.handWritten(header: good, data: [1, 2, 3]), saying: "belong to no tensor")
        rejects(Self.handWritten(header: #"{"__metadata__":{"a":1}}"#, data: []), saying: "__metadata__")
        rejects(Self.handWritten(header: #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: [1, 2]),
                saying: "is too large")
    }

    @Test func modelRejectsWrongNamesAndShapes() throws {
        var file = LeNet5(seed: 1).checkpoint(metadata: [:])
        file["fc1.weight"] = .init(shape: [400, 120], values: Array(repeating: 0, count: 48000))
        #expect(throws: SafetensorsError(path: "m", "tensor fc1.weight has shape [400, 120], LeNet-5 needs [120, 400]")) {
            try LeNet5(checkpoint: file, path: "m")
        }
        file["fc1.weight"] = nil
        #expect(throws: SafetensorsError(path: "m", "has no tensor fc1.weight")) { try LeNet5(checkpoint: file, path: "m") }

        var extra = LeNet5(seed: 1).checkpoint(metadata: [:])
        extra["fc4.weight"] = .init(shape: [1], values: [0])
        #expect(throws: SafetensorsError(path: "m", "has a tensor fc4.weight that LeNet-5 does not have")) {
            try LeNet5(checkpoint: extra, path: "m")
        }
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lenet-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = LeNet5(seed: 2)
        try model.checkpoint(metadata: [:]).write(to: path)
        #expect(try LeNet5(checkpoint: Safetensors.read(from: path), path: path) == model)
        #expect(throws: SafetensorsError(path: path + ".missing", "not found")) { try Safetensors.read(from: path + ".missing") }
    }
}
