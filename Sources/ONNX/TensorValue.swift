/// A tensor whose values are known when the file is read: an initializer, a `Constant`, or a
/// static shape computation's result. Floats are kept as Float or Double, every integer type
/// (and bool) as Int64.
struct TensorValue {
    enum Storage {
        case floats([Float])
        case doubles([Double])
        case integers([Int64])
    }

    var shape: [Int]
    var storage: Storage

    init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    init(integers: [Int64], shape: [Int]? = nil) {
        self.init(shape: shape ?? [integers.count], storage: .integers(integers))
    }

    var count: Int {
        switch storage {
        case .floats(let v): v.count
        case .doubles(let v): v.count
        case .integers(let v): v.count
        }
    }

    var isInteger: Bool { if case .integers = storage { true } else { false } }

    /// Every value as a Double (integers beyond 2^53 rounded).
    var doubles: [Double] {
        switch storage {
        case .floats(let v): v.map(Double.init)
        case .doubles(let v): v
        case .integers(let v): v.map(Double.init)
        }
    }

    var integers: [Int64]? { if case .integers(let v) = storage { v } else { nil } }

    /// The tensor with the values at `flat` (indices into this one's row-major values) in `shape`.
    func picking(_ flat: [Int], shape: [Int]) -> TensorValue {
        let storage: Storage
        switch self.storage {
        case .floats(let v): storage = .floats(flat.map { v[$0] })
        case .doubles(let v): storage = .doubles(flat.map { v[$0] })
        case .integers(let v): storage = .integers(flat.map { v[$0] })
        }
        return TensorValue(shape: shape, storage: storage)
    }

    /// "(16, 6, 5, 5)".
    var shapeText: String { describe(shape) }
}

/// "(16, 6, 5, 5)", "()" for a scalar.
func describe(_ shape: [Int]) -> String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }

/// Row-major strides of `shape`.
func strides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
    return strides
}

/// The product of `dims`, nil when one is negative or the product passes `limit`.
func elementCount(_ dims: [Int64], limit: Int = 1 << 31) -> Int? {
    var product = 1
    for d in dims {
        guard d >= 0, d <= Int64(limit) else { return nil }
        let (p, overflow) = product.multipliedReportingOverflow(by: Int(d))
        guard !overflow, p <= limit else { return nil }
        product = p
    }
    return product
}

enum DataType {
    static let names: [Int32: String] = [
        1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string", 9: "bool",
        10: "float16", 11: "double", 12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16",
    ]

    static func name(_ type: Int32) -> String { names[type] ?? "type \(type)" }

    /// Bytes per element of the types this reader converts; nil for the others.
    static func size(_ type: Int32) -> Int? {
        switch type {
        case 2, 3, 9: 1
        case 4, 5, 10, 16: 2
        case 1, 6, 12: 4
        case 7, 11, 13: 8
        default: nil
        }
    }

    static func isFloat(_ type: Int32) -> Bool { [1, 10, 11, 16].contains(type) }
}

extension TensorValue {
    /// Decodes `tensor`'s values from its raw bytes, its typed fields, or its external data,
    /// which `external(location)` returns as a file's bytes; `what` names the tensor in errors.
    init(_ tensor: TensorProto, what: String, external: (String) throws(TensorError) -> [UInt8]) throws(TensorError) {
        let type = tensor.dataType
        guard let size = DataType.size(type) else {
            throw TensorError("\(what) holds \(DataType.name(type)) values; supported: float, double, float16, bfloat16 and integers")
        }
        guard !tensor.hasSegment else { throw TensorError("\(what) is a segment of a tensor, which is not supported") }
        guard let count = elementCount(tensor.dims) else { throw TensorError("\(what) has an invalid or too large shape \(tensor.dims)") }
        let shape = tensor.dims.map { Int($0) }

        if tensor.dataLocation == 1 {
            let entries = Dictionary(tensor.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            guard let location = entries["location"], !location.isEmpty else {
                throw TensorError("\(what) is stored elsewhere but names no location")
            }
            let file = try external(location)
            guard let offset = Int(entries["offset"] ?? "0"), offset >= 0 else {
                throw TensorError("\(what) has an invalid offset \(entries["offset"] ?? "") in \(location)")
            }
            let needed = count * size
            if let text = entries["length"] {
                guard let length = Int(text), length == needed else {
                    throw TensorError("\(what) of shape \(describe(shape)) needs \(needed) bytes but its length in \(location) is \(text)")
                }
            }
            guard offset <= file.count, needed <= file.count - offset else {
                throw TensorError("\(what) needs bytes \(offset)..<\(offset + needed) of \(location), which has \(file.count)")
            }
            self = Self.decode(file, range: offset..<offset + needed, type: type, size: size, shape: shape)
            return
        }
        if let raw = tensor.rawData {
            guard raw.count == count * size else {
                throw TensorError(
                    "\(what) of shape \(describe(shape)) needs \(count * size) bytes of \(DataType.name(type)) but holds \(raw.count)")
            }
            self = Self.decode(tensor.data, range: raw, type: type, size: size, shape: shape)
            return
        }
        let storage: Storage, found: Int
        switch type {
        case 1: (storage, found) = (.floats(tensor.floatData), tensor.floatData.count)
        case 11: (storage, found) = (.doubles(tensor.doubleData), tensor.doubleData.count)
        case 7: (storage, found) = (.integers(tensor.int64Data), tensor.int64Data.count)
        case 12, 13: (storage, found) = (.integers(tensor.uint64Data), tensor.uint64Data.count)
        case 10: (storage, found) = (.floats(tensor.int32Data.map { Float(Float16(bitPattern: UInt16(truncatingIfNeeded: $0))) }),
                                     tensor.int32Data.count)
        case 16: (storage, found) = (.floats(tensor.int32Data.map { Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16) }),
                                     tensor.int32Data.count)
        default: (storage, found) = (.integers(tensor.int32Data), tensor.int32Data.count)
        }
        guard found == count else { throw TensorError("\(what) of shape \(describe(shape)) holds \(found) values, not \(count)") }
        self.init(shape: shape, storage: storage)
    }

    /// Little-endian values of `type` in `range` of `bytes`.
    private static func decode(_ bytes: [UInt8], range: Range<Int>, type: Int32, size: Int, shape: [Int]) -> TensorValue {
        let n = range.count / size
        func word(_ i: Int) -> UInt64 {
            let start = range.lowerBound + i * size
            var value: UInt64 = 0
            for b in 0..<size { value |= UInt64(bytes[start + b]) << (8 * UInt64(b)) }
            return value
        }
        let storage: Storage
        switch type {
        case 1: storage = .floats((0..<n).map { Float(bitPattern: UInt32(word($0))) })
        case 10: storage = .floats((0..<n).map { Float(Float16(bitPattern: UInt16(word($0)))) })
        case 16: storage = .floats((0..<n).map { Float(bitPattern: UInt32(word($0)) << 16) })
        case 11: storage = .doubles((0..<n).map { Double(bitPattern: word($0)) })
        case 3: storage = .integers((0..<n).map { Int64(Int8(truncatingIfNeeded: word($0))) })
        case 5: storage = .integers((0..<n).map { Int64(Int16(truncatingIfNeeded: word($0))) })
        case 6: storage = .integers((0..<n).map { Int64(Int32(truncatingIfNeeded: word($0))) })
        default: storage = .integers((0..<n).map { Int64(bitPattern: word($0)) })
        }
        return TensorValue(shape: shape, storage: storage)
    }
}

struct TensorError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
