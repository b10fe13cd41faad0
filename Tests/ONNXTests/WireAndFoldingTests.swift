import Testing
@testable import ONNX

/// The wire-format reader on bytes written by hand, and the static evaluation of shape
/// computations on small tensors, against what protobuf and ONNX's operators define.
@Suite struct WireAndFoldingTests {
    /// A varint of `value`.
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out = [UInt8]()
        repeat {
            out.append(UInt8(v & 0x7f) | (v >= 0x80 ? 0x80 : 0))
            v >>= 7
        } while v != 0
        return out
    }

    @Test func fieldsOfEveryWireType() throws {
        // Field 1 varint 300, field 2 fixed64, field 3 "abc", field 4 fixed32 1.5, field 5 varint −1 (ten bytes).
        var bytes: [UInt8] = [0x08] + Self.varint(300)
        bytes += [0x11, 1, 2, 3, 4, 5, 6, 7, 8]
        bytes += [0x1a, 3] + Array("abc".utf8)
        bytes += [0x25] + withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian, Array.init)
        bytes += [0x28] + Self.varint(UInt64(bitPattern: -1))
        let fields = try ProtobufReader.fields(bytes)
        #expect(fields.map(\.number) == [1, 2, 3, 4, 5])
        #expect(try fields[0].int64() == 300)
        #expect(try fields[2].string(in: bytes) == "abc")
        #expect(try fields[3].float() == 1.5)
        #expect(try fields[4].int64() == -1 && (try fields[4].int32()) == -1)
        #expect(throws: WireError.self) { try fields[0].string(in: bytes) }
    }

    @Test func packedAndUnpackedRepeatedNumbers() throws {
        let packed: [UInt8] = [0x0a, 4] + Self.varint(1) + Self.varint(200) + [0x05]
        let fields = try ProtobufReader.fields(packed)
        #expect(try fields[0].varints(in: packed) == [1, 200, 5])
        let floats: [UInt8] = [0x0a, 8] + withUnsafeBytes(of: Float(2).bitPattern.littleEndian, Array.init)
            + withUnsafeBytes(of: Float(-3).bitPattern.littleEndian, Array.init)
        #expect(try ProtobufReader.fields(floats)[0].words(size: 4, in: floats).map { Float(bitPattern: UInt32($0)) } == [2, -3])
        let ragged: [UInt8] = [0x0a, 3, 0, 0, 0]
        #expect(throws: WireError.self) { try ProtobufReader.fields(ragged)[0].words(size: 4, in: ragged) }
    }

    @Test(arguments: [
        [0x0a, 0x05, 0x61] as [UInt8],        // a string longer than the message
        [0x08, 0xff, 0xff],                    // a varint cut short
        [0x08] + [UInt8](repeating: 0xff, count: 11),  // a varint of eleven bytes
        [0x0b],                                // a group
        [0x00, 0x01],                          // field number 0
        [0x11, 1, 2, 3],                       // a fixed64 cut short
    ])
    func malformedMessagesAreRefused(_ bytes: [UInt8]) {
        #expect(throws: WireError.self) { try ProtobufReader.fields(bytes) }
    }

    /// A node of `op` with INTS attributes, or INT ones for `int`.
    static func node(_ op: String, _ attributes: [(String, [Int64])] = [], int: [(String, Int64)] = []) throws -> NodeProto {
        // NodeProto: op_type 4; attribute 5 → name 1, i 3, ints 8 (packed), type 20 (INT 2, INTS 7).
        var bytes: [UInt8] = [0x22, UInt8(op.utf8.count)] + Array(op.utf8)
        for (name, ints) in attributes {
            let packed = ints.flatMap { varint(UInt64(bitPattern: $0)) }
            let attribute: [UInt8] = [0x0a, UInt8(name.utf8.count)] + Array(name.utf8) + [0x42, UInt8(packed.count)] + packed + [0xa0, 0x01, 7]
            bytes += [0x2a, UInt8(attribute.count)] + attribute
        }
        for (name, value) in int {
            let attribute: [UInt8] = [0x0a, UInt8(name.utf8.count)] + Array(name.utf8) + [0x18] + varint(UInt64(bitPattern: value)) + [0xa0, 0x01, 2]
            bytes += [0x2a, UInt8(attribute.count)] + attribute
        }
        return try NodeProto(bytes, range: 0..<bytes.count)
    }

    static func ints(_ values: [Int64]) -> TensorValue { TensorValue(integers: values) }

    @Test func shapeGatherSliceConcatAsTf2onnxWritesThem() throws {
        let dims = [1, 16, 4, 4]
        let shape = try StaticEvaluation.evaluate(Self.node("Shape"), inputs: [TensorValue(shape: dims, storage: .integers([]))], opset: 17)[0]
        #expect(shape.integers == [1, 16, 4, 4])
        let gathered = try StaticEvaluation.evaluate(Self.node("Gather"), inputs: [shape, Self.ints([0, 2, 3, 1])], opset: 17)[0]
        #expect(gathered.integers == [1, 4, 4, 16])
        let sliced = try StaticEvaluation.evaluate(Self.node("Slice"), inputs: [gathered, Self.ints([0]), Self.ints([1]), Self.ints([0])], opset: 17)[0]
        #expect(sliced.integers == [1])
        let joined = try StaticEvaluation.evaluate(Self.node("Concat", int: [("axis", 0)]), inputs: [sliced, Self.ints([-1])], opset: 17)[0]
        #expect(joined.integers == [1, -1])
        #expect(try StaticEvaluation.reshaped(dims, to: joined.integers!, allowZero: false) == [1, 256])
    }

    @Test func sliceWithNegativeStepsAndClampedEnds() throws {
        let data = Self.ints([10, 11, 12, 13, 14])
        let reversed = try StaticEvaluation.evaluate(Self.node("Slice"), inputs: [data, Self.ints([-1]), Self.ints([Int64.min]), nil, Self.ints([-2])], opset: 17)[0]
        #expect(reversed.integers == [14, 12, 10])
        let tail = try StaticEvaluation.evaluate(Self.node("Slice"), inputs: [data, Self.ints([3]), Self.ints([Int64.max])], opset: 17)[0]
        #expect(tail.integers == [13, 14])
        let huge = try StaticEvaluation.evaluate(Self.node("Slice"), inputs: [data, Self.ints([0]), Self.ints([5]), nil, Self.ints([Int64.max])], opset: 17)[0]
        #expect(huge.integers == [10])
    }

    @Test func unsqueezeTransposeAndBroadcastArithmetic() throws {
        let scalar = TensorValue(integers: [7], shape: [])
        let unsqueezed = try StaticEvaluation.evaluate(Self.node("Unsqueeze"), inputs: [scalar, Self.ints([0])], opset: 13)[0]
        #expect(unsqueezed.shape == [1] && unsqueezed.integers == [7])
        let matrix = TensorValue(shape: [2, 3], storage: .floats([1, 2, 3, 4, 5, 6]))
        let transposed = try StaticEvaluation.evaluate(Self.node("Transpose", [("perm", [1, 0])]), inputs: [matrix], opset: 13)[0]
        #expect(transposed.shape == [3, 2] && transposed.doubles == [1, 4, 2, 5, 3, 6])
        let sum = try StaticEvaluation.evaluate(Self.node("Add"), inputs: [matrix, TensorValue(shape: [3], storage: .floats([10, 20, 30]))], opset: 13)[0]
        #expect(sum.shape == [2, 3] && sum.doubles == [11, 22, 33, 14, 25, 36])
        #expect(throws: TensorError.self) {
            try StaticEvaluation.evaluate(Self.node("Div"), inputs: [Self.ints([1]), Self.ints([0])], opset: 13)
        }
    }
}
