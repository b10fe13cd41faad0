import FileIO
import Foundation
import Testing
@testable import Network

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
        #expect(throws: FileError(path: "m", "tensor fc3.bias holds integers (I64); LeNet-5 needs floating-point weights")) {
            try LeNet5(checkpoint: model, path: "m")
        }
    }

    /// PyTorch's half and double precision read as F32. IEEE half 0x3C00 is 1, 0xC000 is −2 and
    /// 0x3555 is 1365/4096 (IEEE 754 binary16); bfloat16 is a float's upper 16 bits, so 0x3F80 is 1
    /// and 0xC040 is −3; a double rounds to the nearest float, and 1e300 overflows to infinity.
    @Test func halfAndDoublePrecisionConvertToFloat() throws {
        let half = Self.handWritten(header: #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[6,10]},"d":{"dtype":"F64","shape":[2],"data_offsets":[10,26]}}"#, data: [])
            + [0x00, 0x3C, 0x00, 0xC0, 0x55, 0x35] + [0x80, 0x3F, 0x40, 0xC0]
            + withUnsafeBytes(of: (1.5 as Double).bitPattern.littleEndian, Array.init) + withUnsafeBytes(of: (1e300 as Double).bitPattern.littleEndian, Array.init)
        let file = try Safetensors.decode(half, path: "h")
        #expect(file["h"]?.values == [1, -2, 1365.0 / 4096] && file["h"]?.convertedFrom == .f16 && file["h"]?.dtype == .f32)
        #expect(file["b"]?.values == [1, -3] && file["b"]?.convertedFrom == .bf16)
        #expect(file["d"]?.values == [1.5, .infinity] && file["d"]?.convertedFrom == .f64)

        // A model stored in bfloat16 loads, and says so; its weights are the F32 ones with the low 16 bits cleared.
        let model = LeNet5(seed: 1)
        var stored = Safetensors()
        var bytes: [UInt8] = []
        var header: [String] = []
        for p in LeNet5.Parameter.allCases {
            let values = Array(model[p])
            header.append(#""\#(p.name)":{"dtype":"BF16","shape":\#(p.shape),"data_offsets":[\#(bytes.count),\#(bytes.count + 2 * values.count)]}"#)
            for v in values { withUnsafeBytes(of: UInt16(v.bitPattern >> 16).littleEndian) { bytes.append(contentsOf: $0) } }
        }
        stored = try Safetensors.decode(Self.handWritten(header: "{" + header.joined(separator: ",") + "}", data: []) + bytes, path: "bf16")
        let loaded = try LeNet5(checkpoint: stored, path: "bf16")
        #expect(LeNet5.convertedDTypes(in: stored) == ["BF16"] && LeNet5.convertedDTypes(in: model.checkpoint(metadata: [:])) == [])
        #expect(loaded.parameters == model.parameters.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) })
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
        rejects(Self.handWritten(header: #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#, data: [1]), saying: "dtype U8")
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
        #expect(throws: FileError(path: "m", "tensor fc1.weight has shape [400, 120], LeNet-5 needs [120, 400]")) {
            try LeNet5(checkpoint: file, path: "m")
        }
        file["fc1.weight"] = nil
        #expect(throws: FileError(path: "m", "has no tensor fc1.weight")) { try LeNet5(checkpoint: file, path: "m") }

        var extra = LeNet5(seed: 1).checkpoint(metadata: [:])
        extra["fc4.weight"] = .init(shape: [1], values: [0])
        #expect(throws: FileError(path: "m", "has a tensor fc4.weight that LeNet-5 does not have")) {
            try LeNet5(checkpoint: extra, path: "m")
        }
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lenet-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = LeNet5(seed: 2)
        try model.checkpoint(metadata: [:]).write(to: path)
        #expect(try LeNet5(checkpoint: Safetensors.read(from: path), path: path) == model)
        #expect(throws: FileError(path: path + ".missing", "cannot be read: not found")) { try Safetensors.read(from: path + ".missing") }
    }

    /// `hasSameContents` holds exactly when the encoded bytes agree: NaN matches NaN, −0 does not match +0.
    @Test func sameContentsMeansTheSameBytes() throws {
        var a = Safetensors(metadata: ["k": "v"])
        a["x"] = .init(shape: [3], values: [1, .nan, 0])
        a["i"] = .init(shape: [2], integers: [4, 5])
        let b = try Safetensors.decode(a.encoded(), path: "b")
        #expect(a.hasSameContents(as: b) && a != b, "NaN != NaN, so == fails where the bytes agree")
        var variants: [(String, Safetensors)] = []
        var c = a; c["x"] = .init(shape: [3], values: [1, .nan, -0.0]); variants.append(("−0", c))
        c = a; c["x"] = .init(shape: [1, 3], values: [1, .nan, 0]); variants.append(("shape", c))
        c = a; c["i"] = .init(shape: [2], integers: [4, 6]); variants.append(("integer", c))
        c = a; c.metadata["k"] = "w"; variants.append(("metadata", c))
        c = a; c["x"] = nil; c["x"] = a["x"]; variants.append(("order", c))
        for (what, variant) in variants {
            #expect(!a.hasSameContents(as: variant) && variant.encoded() != a.encoded(), "\(what)")
        }
    }

    /// An unchanged file is left alone, so a hard link to it stays one; a changed one is replaced.
    @Test func writeIfChangedLeavesAnEqualFileAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("same-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (path, link) = (folder + "/a", folder + "/b")
        try FileSystem.write(Data("one".utf8), to: path)
        #expect(Glibc.link(path, link) == 0)
        func links() throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.referenceCount] as? NSNumber)?.intValue ?? 0 }
        try FileSystem.writeIfChanged(Data("one".utf8), to: path)
        #expect(try links() == 2)
        try FileSystem.writeIfChanged(Data("two".utf8), to: path)
        #expect(try links() == 1 && FileSystem.readText(path) == "two" && FileSystem.readText(link) == "one")
        try FileSystem.writeIfChanged(Data("three".utf8), to: folder + "/new")
        #expect(try FileSystem.readText(folder + "/new") == "three")
    }
}
