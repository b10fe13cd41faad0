/// The subset of ONNX's messages (onnx/onnx.proto) that the reader uses, decoded from the wire
/// format. Field numbers are onnx.proto's; every other field is skipped.
struct ModelProto {
    var irVersion: Int64?
    var producerName = ""
    var producerVersion = ""
    var graph: GraphProto?
    /// (domain, version); "" is the default domain, ai.onnx.
    var opsetImports: [(domain: String, version: Int64)] = []
    var metadata: [(key: String, value: String)] = []

    init(_ data: [UInt8]) throws(WireError) {
        for field in try ProtobufReader.fields(data) {
            switch field.number {
            case 1: irVersion = try field.int64()
            case 2: producerName = try field.string(in: data)
            case 3: producerVersion = try field.string(in: data)
            case 7: graph = try GraphProto(data, range: field.bytes())
            case 8: opsetImports.append(try Self.opset(data, range: field.bytes()))
            case 14: metadata.append(try stringPair(data, range: field.bytes()))
            default: break
            }
        }
    }

    private static func opset(_ data: [UInt8], range: Range<Int>) throws(WireError) -> (domain: String, version: Int64) {
        var domain = "", version: Int64 = 0
        for field in try ProtobufReader.fields(data, range: range) {
            switch field.number {
            case 1: domain = try field.string(in: data)
            case 2: version = try field.int64()
            default: break
            }
        }
        return (domain, version)
    }
}

/// A StringStringEntryProto: key 1, value 2.
func stringPair(_ data: [UInt8], range: Range<Int>) throws(WireError) -> (key: String, value: String) {
    var key = "", value = ""
    for field in try ProtobufReader.fields(data, range: range) {
        switch field.number {
        case 1: key = try field.string(in: data)
        case 2: value = try field.string(in: data)
        default: break
        }
    }
    return (key, value)
}

struct GraphProto {
    var nodes: [NodeProto] = []
    var initializers: [TensorProto] = []
    var inputs: [ValueInfoProto] = []
    var outputs: [ValueInfoProto] = []
    var hasSparseInitializers = false

    init(_ data: [UInt8], range: Range<Int>) throws(WireError) {
        for field in try ProtobufReader.fields(data, range: range) {
            switch field.number {
            case 1: nodes.append(try NodeProto(data, range: field.bytes()))
            case 5: initializers.append(try TensorProto(data, range: field.bytes()))
            case 11: inputs.append(try ValueInfoProto(data, range: field.bytes()))
            case 12: outputs.append(try ValueInfoProto(data, range: field.bytes()))
            case 15: hasSparseInitializers = true
            default: break
            }
        }
    }
}

struct NodeProto {
    var inputs: [String] = []
    var outputs: [String] = []
    var name = ""
    var opType = ""
    var domain = ""
    var attributes: [AttributeProto] = []
    var metadata: [(key: String, value: String)] = []

    init(_ data: [UInt8], range: Range<Int>) throws(WireError) {
        for field in try ProtobufReader.fields(data, range: range) {
            switch field.number {
            case 1: inputs.append(try field.string(in: data))
            case 2: outputs.append(try field.string(in: data))
            case 3: name = try field.string(in: data)
            case 4: opType = try field.string(in: data)
            case 5: attributes.append(try AttributeProto(data, range: field.bytes()))
            case 7: domain = try field.string(in: data)
            case 9: metadata.append(try stringPair(data, range: field.bytes()))
            default: break
            }
        }
    }

    func attribute(_ name: String) -> AttributeProto? { attributes.first { $0.name == name } }
}

struct AttributeProto {
    var name = ""
    /// AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, GRAPH 5, FLOATS 6, INTS 7, …
    var type: Int32 = 0
    var f: Float?
    var i: Int64?
    var s: [UInt8]?
    var t: TensorProto?
    var floats: [Float] = []
    var ints: [Int64] = []

    init(_ data: [UInt8], range: Range<Int>) throws(WireError) {
        for field in try ProtobufReader.fields(data, range: range) {
            switch field.number {
            case 1: name = try field.string(in: data)
            case 2: f = try field.float()
            case 3: i = try field.int64()
            case 4: s = Array(data[try field.bytes()])
            case 5: t = try TensorProto(data, range: field.bytes())
            case 7: floats += try field.words(size: 4, in: data).map { Float(bitPattern: UInt32($0)) }
            case 8: ints += try field.varints(in: data)
            case 20: type = try field.int32()
            default: break
            }
        }
    }

    var string: String? { s.flatMap { String(validating: $0, as: UTF8.self) } }
}

struct TensorProto {
    var dims: [Int64] = []
    /// TensorProto.DataType: FLOAT 1, UINT8 2, INT8 3, UINT16 4, INT16 5, INT32 6, INT64 7,
    /// STRING 8, BOOL 9, FLOAT16 10, DOUBLE 11, UINT32 12, UINT64 13, …, BFLOAT16 16.
    var dataType: Int32 = 0
    var name = ""
    var rawData: Range<Int>?
    var floatData: [Float] = []
    var int32Data: [Int64] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    var uint64Data: [Int64] = []
    var externalData: [(key: String, value: String)] = []
    /// 1: EXTERNAL, the data is in another file.
    var dataLocation: Int64 = 0
    var hasSegment = false
    /// The file's bytes, which `rawData` indexes.
    let data: [UInt8]

    init(_ data: [UInt8], range: Range<Int>) throws(WireError) {
        self.data = data
        for field in try ProtobufReader.fields(data, range: range) {
            switch field.number {
            case 1: dims += try field.varints(in: data)
            case 2: dataType = try field.int32()
            case 3: hasSegment = true
            case 4: floatData += try field.words(size: 4, in: data).map { Float(bitPattern: UInt32($0)) }
            case 5: int32Data += try field.varints(in: data).map { Int64(Int32(truncatingIfNeeded: $0)) }
            case 7: int64Data += try field.varints(in: data)
            case 8: name = try field.string(in: data)
            case 9: rawData = try field.bytes()
            case 10: doubleData += try field.words(size: 8, in: data).map { Double(bitPattern: $0) }
            case 11: uint64Data += try field.varints(in: data)
            case 13: externalData.append(try stringPair(data, range: field.bytes()))
            case 14: dataLocation = try field.int64()
            default: break
            }
        }
    }
}

struct ValueInfoProto {
    enum Dimension: Equatable {
        case value(Int64)
        case parameter(String)
        case unknown
    }

    var name = ""
    var elementType: Int32?
    /// nil when the type gives no shape.
    var shape: [Dimension]?

    init(_ data: [UInt8], range: Range<Int>) throws(WireError) {
        for field in try ProtobufReader.fields(data, range: range) {
            switch field.number {
            case 1: name = try field.string(in: data)
            case 2: try readType(data, range: field.bytes())
            default: break
            }
        }
    }

    /// TypeProto: tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1) or dim_param (2).
    private mutating func readType(_ data: [UInt8], range: Range<Int>) throws(WireError) {
        for field in try ProtobufReader.fields(data, range: range) where field.number == 1 {
            for tensor in try ProtobufReader.fields(data, range: field.bytes()) {
                switch tensor.number {
                case 1: elementType = try tensor.int32()
                case 2:
                    var dims = [Dimension]()
                    for dim in try ProtobufReader.fields(data, range: tensor.bytes()) where dim.number == 1 {
                        var d = Dimension.unknown
                        for part in try ProtobufReader.fields(data, range: dim.bytes()) {
                            switch part.number {
                            case 1: d = .value(try part.int64())
                            case 2: d = .parameter(try part.string(in: data))
                            default: break
                            }
                        }
                        dims.append(d)
                    }
                    shape = dims
                default: break
                }
            }
        }
    }
}
