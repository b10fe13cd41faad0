import FileIO
import Foundation

/// A safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw little-endian data. F32 and I64 tensors are read and
/// written; F16, BF16 and F64 tensors are read and converted to F32 (`convertedFrom` says so).
public struct Safetensors: Sendable, Equatable {
    /// The element types this reader knows: PyTorch's float32 and int64, which it also writes, and
    /// the half- and double-precision floats it converts to float32.
    public enum DType: String, Sendable {
        case f32 = "F32", i64 = "I64", f16 = "F16", bf16 = "BF16", f64 = "F64"

        var size: Int {
            switch self {
            case .f16, .bf16: 2
            case .f32: 4
            case .i64, .f64: 8
            }
        }
    }

    public struct Tensor: Sendable, Equatable {
        public var shape: [Int]
        public private(set) var dtype: DType
        /// The dtype the file stored, when it was converted to F32 on reading (F16, BF16, F64).
        public internal(set) var convertedFrom: DType?
        private var floats: [Float]
        private var ints: [Int64]

        public init(shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
            self.shape = shape
            dtype = .f32
            floats = values
            ints = []
        }

        /// An I64 tensor, as PyTorch stores indices and labels.
        public init(shape: [Int], integers: [Int64]) {
            precondition(shape.reduce(1, *) == integers.count, "shape \(shape) does not hold \(integers.count) values")
            self.shape = shape
            dtype = .i64
            floats = []
            ints = integers
        }

        /// The values as Float; an I64 tensor's are converted. Setting makes the tensor F32.
        public var values: [Float] {
            get { dtype == .f32 ? floats : ints.map(Float.init) }
            set {
                precondition(shape.reduce(1, *) == newValue.count, "shape \(shape) does not hold \(newValue.count) values")
                (dtype, floats, ints) = (.f32, newValue, [])
            }
        }

        /// The values of an I64 tensor; nil for F32.
        public var integers: [Int64]? { dtype == .i64 ? ints : nil }

        var byteCount: Int { shape.reduce(1, *) * dtype.size }

        func hasSameBits(as other: Tensor) -> Bool {
            shape == other.shape && dtype == other.dtype && convertedFrom == other.convertedFrom && ints == other.ints
                && floats.withUnsafeBytes { a in other.floats.withUnsafeBytes { b in
                    a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
                } }
        }
    }

    public var metadata: [String: String]
    /// Tensors in the order they are stored.
    public private(set) var names: [String] = []
    public private(set) var tensors: [String: Tensor] = [:]

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set {
            if tensors[name] == nil, newValue != nil { names.append(name) }
            if newValue == nil { names.removeAll { $0 == name } }
            tensors[name] = newValue
        }
    }

    /// Whether `encoded()` gives the same bytes for both: the same metadata, and the same tensors
    /// in the same order with the same dtypes, shapes and value bits (unlike `==`, NaN matches NaN).
    public func hasSameContents(as other: Safetensors) -> Bool {
        metadata == other.metadata && names == other.names && names.allSatisfy { tensors[$0]!.hasSameBits(as: other.tensors[$0]!) }
    }

    /// The file's bytes. Keys are sorted, so equal contents give equal bytes.
    public func encoded() -> [UInt8] {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!, bytes = tensor.byteCount
            header[name] = ["dtype": tensor.dtype.rawValue, "shape": tensor.shape, "data_offsets": [offset, offset + bytes]]
            offset += bytes
        }
        var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]))
        // Pad with spaces so the data starts 8-byte aligned, as the format recommends.
        while json.count % 8 != 0 { json.append(0x20) }
        var file = [UInt8]()
        file.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: json)
        for name in names {
            let tensor = tensors[name]!
            #if _endian(little)
            // The file's byte order is the machine's: the values' memory is the file's bytes.
            if let integers = tensor.integers { integers.withUnsafeBytes { file.append(contentsOf: $0) } } else {
                tensor.values.withUnsafeBytes { file.append(contentsOf: $0) }
            }
            #else
            if let integers = tensor.integers {
                for value in integers { withUnsafeBytes(of: value.littleEndian) { file.append(contentsOf: $0) } }
            } else {
                for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { file.append(contentsOf: $0) } }
            }
            #endif
        }
        return file
    }

    /// Writes to a temporary file beside `path`, then renames it into place.
    public func write(to path: String) throws(FileError) {
        try FileSystem.write(encoded(), to: path)
    }

    public static func read(from path: String) throws(FileError) -> Safetensors {
        try decode(FileSystem.read(path), path: path)
    }

    /// Parses and checks a whole file: the header length, the JSON, every dtype, shape and byte
    /// range, and that the ranges tile the data exactly. A PyTorch pickle is refused by its first
    /// bytes, with the Python that converts it. `path` only names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(FileError) -> Safetensors {
        func fail(_ problem: String) -> FileError { FileError(path: path, problem) }
        if let pickle = PyTorchPickle(bytes) { throw fail(pickle.refusal(path: path)) }
        guard bytes.count >= 8 else { throw fail("truncated: \(bytes.count) bytes, shorter than the 8-byte header length") }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
        }
        let dataStart = 8 + Int(headerLength)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])),
              let header = object as? [String: Any] else {
            throw fail("the header is not a JSON object")
        }

        var file = Safetensors()
        if let metadata = header["__metadata__"] {
            guard let metadata = metadata as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
            file.metadata = metadata
        }
        let dataLength = bytes.count - dataStart
        var ranges: [(name: String, range: Range<Int>, shape: [Int], dtype: DType)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any] else { throw fail("tensor \(name) is not a JSON object") }
            guard let dtype = entry["dtype"] as? String else { throw fail("tensor \(name) has no dtype") }
            guard let dtype = DType(rawValue: dtype) else {
                throw fail("tensor \(name) has dtype \(dtype); only F32, F16, BF16, F64 and I64 are supported")
            }
            guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor \(name) has no valid shape")
            }
            guard let offsets = integers(entry["data_offsets"]), offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw fail("tensor \(name) has no valid data_offsets")
            }
            guard offsets[1] <= dataLength else {
                throw fail("tensor \(name) ends at byte \(offsets[1]), past the \(dataLength) data bytes")
            }
            let (elements, overflow) = shape.reduce((1, false)) { product, size in
                let next = product.0.multipliedReportingOverflow(by: size)
                return (next.partialValue, product.1 || next.overflow)
            }
            guard !overflow, elements <= Int.max / dtype.size else { throw fail("tensor \(name) of shape \(shape) is too large") }
            let expected = elements * dtype.size
            guard offsets[1] - offsets[0] == expected else {
                throw fail("tensor \(name) of shape \(shape) needs \(expected) bytes but data_offsets give \(offsets[1] - offsets[0])")
            }
            ranges.append((name, offsets[0]..<offsets[1], shape, dtype))
        }
        ranges.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        var next = 0
        for entry in ranges {
            guard entry.range.lowerBound == next else {
                throw fail(entry.range.lowerBound < next
                           ? "tensor \(entry.name) overlaps another tensor"
                           : "bytes \(next)..<\(entry.range.lowerBound) belong to no tensor")
            }
            next = entry.range.upperBound
        }
        guard next == dataLength else { throw fail("\(dataLength - next) bytes after the last tensor belong to no tensor") }

        for entry in ranges {
            let start = dataStart + entry.range.lowerBound
            func word(_ at: Int, bytes count: Int) -> UInt64 {
                (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
            }
            switch entry.dtype {
            case .f32:
                let values = (0..<(entry.range.count / 4)).map { Float(bitPattern: UInt32(word(start + 4 * $0, bytes: 4))) }
                file[entry.name] = Tensor(shape: entry.shape, values: values)
            case .i64:
                let values = (0..<(entry.range.count / 8)).map { Int64(bitPattern: word(start + 8 * $0, bytes: 8)) }
                file[entry.name] = Tensor(shape: entry.shape, integers: values)
            case .f16, .bf16, .f64:
                // F16 and BF16 convert exactly; F64 rounds to the nearest float (beyond its range, to infinity).
                let size = entry.dtype.size
                let values = (0..<(entry.range.count / size)).map { i -> Float in
                    let bits = word(start + size * i, bytes: size)
                    switch entry.dtype {
                    case .f16: return Float(Float16(bitPattern: UInt16(bits)))
                    case .bf16: return Float(bitPattern: UInt32(bits) << 16)
                    default: return Float(Double(bitPattern: bits))
                    }
                }
                var tensor = Tensor(shape: entry.shape, values: values)
                tensor.convertedFrom = entry.dtype
                file[entry.name] = tensor
            }
        }
        return file
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [NSNumber] else { return nil }
        // JSONSerialization hands back fractions as NSNumber too.
        let ints = numbers.map { $0.intValue }
        return zip(numbers, ints).allSatisfy { $0.doubleValue == Double($1) } ? ints : nil
    }
}
