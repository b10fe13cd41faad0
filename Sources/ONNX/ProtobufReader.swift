/// Protocol Buffers' wire format, as far as ONNX files need it: each field a key (field number
/// and wire type, one varint) and a value, a varint (0), 8 bytes (1), a length-delimited run of
/// bytes (2: strings, nested messages, packed repeated numbers) or 4 bytes (5). Groups (3 and 4)
/// are refused: ONNX never uses them, and a foreign file soon shows one. Every length is checked
/// against the bytes of the message that holds it, so a truncated or foreign file ends in a
/// `WireError`, never a read out of bounds.
struct ProtobufReader {
    struct Field {
        let number: Int
        let value: Value
    }

    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(Range<Int>)
        case fixed32(UInt32)

        var wireType: Int {
            switch self {
            case .varint: 0
            case .fixed64: 1
            case .bytes: 2
            case .fixed32: 5
            }
        }
    }

    let bytes: [UInt8]
    private var position: Int
    private let end: Int

    /// A reader of the message in `range` of `bytes`.
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    /// The next field; nil at the end of the message.
    mutating func next() throws(WireError) -> Field? {
        guard position < end else { return nil }
        let start = position
        let key = try varint()
        let number = key >> 3
        guard number > 0, number < 1 << 29 else { throw WireError("byte \(start) holds no valid field key (field number \(number))") }
        let value: Value
        switch key & 7 {
        case 0:
            value = .varint(try varint())
        case 1:
            guard end - position >= 8 else {
                throw WireError("field \(number) at byte \(start) needs 8 bytes, only \(end - position) remain")
            }
            value = .fixed64(little(8))
        case 2:
            let length = try varint()
            guard length <= UInt64(end - position) else {
                throw WireError("field \(number) at byte \(start) claims \(length) bytes, only \(end - position) remain")
            }
            value = .bytes(position..<position + Int(length))
            position += Int(length)
        case 5:
            guard end - position >= 4 else {
                throw WireError("field \(number) at byte \(start) needs 4 bytes, only \(end - position) remain")
            }
            value = .fixed32(UInt32(little(4)))
        case let type:
            throw WireError("field \(number) at byte \(start) has wire type \(type), which ONNX does not use")
        }
        return Field(number: Int(number), value: value)
    }

    /// Every field of the message, in order.
    static func fields(_ bytes: [UInt8], range: Range<Int>? = nil) throws(WireError) -> [Field] {
        var reader = ProtobufReader(bytes, range: range)
        var fields = [Field]()
        while let field = try reader.next() { fields.append(field) }
        return fields
    }

    private mutating func varint() throws(WireError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw WireError("a number at byte \(start) runs past the end of its message") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw WireError("a number at byte \(start) is longer than 10 bytes") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func little(_ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += count
        return value
    }
}

/// Why some bytes are not the message they should be.
struct WireError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension ProtobufReader.Field {
    private func mismatch(_ expected: String) -> WireError {
        WireError("field \(number) should be \(expected) but has wire type \(value.wireType)")
    }

    func bytes() throws(WireError) -> Range<Int> {
        guard case .bytes(let range) = value else { throw mismatch("length-delimited") }
        return range
    }

    func string(in data: [UInt8]) throws(WireError) -> String {
        let range = try bytes()
        guard let text = String(validating: data[range], as: UTF8.self) else { throw WireError("field \(number) is not UTF-8 text") }
        return text
    }

    func int64() throws(WireError) -> Int64 {
        guard case .varint(let v) = value else { throw mismatch("a varint") }
        return Int64(bitPattern: v)
    }

    /// An int32 field: its varint's low 32 bits, sign-extended, as protobuf defines.
    func int32() throws(WireError) -> Int32 {
        Int32(truncatingIfNeeded: try int64())
    }

    func float() throws(WireError) -> Float {
        guard case .fixed32(let v) = value else { throw mismatch("a 4-byte float") }
        return Float(bitPattern: v)
    }

    /// A repeated varint field's values here: one, or a packed run of them.
    func varints(in data: [UInt8]) throws(WireError) -> [Int64] {
        switch value {
        case .varint(let v): return [Int64(bitPattern: v)]
        case .bytes(let range):
            var reader = ProtobufReader(data, range: range)
            var values = [Int64]()
            while let v = try reader.nextPackedVarint() { values.append(v) }
            return values
        default: throw mismatch("varints")
        }
    }

    /// A repeated fixed-width field's raw words here: one, or a packed run of `size`-byte words.
    func words(size: Int, in data: [UInt8]) throws(WireError) -> [UInt64] {
        switch value {
        case .fixed32(let v) where size == 4: return [UInt64(v)]
        case .fixed64(let v) where size == 8: return [v]
        case .bytes(let range):
            guard range.count % size == 0 else {
                throw WireError("field \(number) packs \(range.count) bytes, not a whole number of \(size)-byte values")
            }
            return stride(from: range.lowerBound, to: range.upperBound, by: size).map { (start: Int) -> UInt64 in
                (0..<size).reduce(UInt64(0)) { (word: UInt64, k: Int) -> UInt64 in word | UInt64(data[start + k]) << (8 * UInt64(k)) }
            }
        default: throw mismatch("\(size)-byte values")
        }
    }
}

extension ProtobufReader {
    fileprivate mutating func nextPackedVarint() throws(WireError) -> Int64? {
        guard position < end else { return nil }
        return Int64(bitPattern: try varint())
    }
}
