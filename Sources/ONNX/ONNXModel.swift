import FileIO
import Network

/// A network read from an ONNX file, as `torch.onnx.export` writes it with either exporter
/// (weights inline, or in a side file as external data) and as tf2onnx converts a Keras model:
/// a chain of convolutions, ReLUs, max- and average-pooling, one flatten, linear layers and a
/// final softmax, with what the file adds around them folded away (BatchNormalization into the
/// layer before it, dropout, static shape computations, Keras's channels-last transposes).
public struct ONNXModel: Sendable {
    /// The chain, its parameters in PyTorch's layouts, and the input normalisation from the
    /// metadata (`input_mean`, `input_std`), if any.
    public let network: Network
    /// The model's `metadata_props`, in the file's order.
    public let metadata: [(key: String, value: String)]
    /// Who wrote the file: "pytorch" 2.9.0, "tf2onnx" 1.17.0, …
    public let producerName: String
    public let producerVersion: String
    public let irVersion: Int
    /// The version of ONNX's default operator set the graph uses.
    public let opsetVersion: Int
    /// What was folded into the layers or dropped on reading, one sentence each.
    public let notes: [String]

    /// Reads the model at `path`; its external data (`location` relative to the model's folder)
    /// is read from beside it. `imageHeight` × `imageWidth` is the data's image size, which the
    /// model's input must have.
    public init(contentsOf path: String, imageHeight: Int = LeNet5.imageSide, imageWidth: Int = LeNet5.imageSide) throws(FileError) {
        let bytes = try FileSystem.read(path)
        let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        try self.init(bytes: bytes, path: path,
                      imageHeight: imageHeight, imageWidth: imageWidth) { (location: String) throws(FileError) -> [UInt8] in
            try FileSystem.read(folder + location)
        }
    }

    /// Reads a model from its bytes; `externalData(location)` returns the bytes of a file its
    /// tensors refer to, `location` already checked to stay inside the model's folder. `path`
    /// only names the file in errors.
    public init(bytes: [UInt8], path: String, imageHeight: Int = LeNet5.imageSide, imageWidth: Int = LeNet5.imageSide,
                externalData: (String) throws(FileError) -> [UInt8]) throws(FileError) {
        let model: ModelProto
        do {
            model = try ModelProto(bytes)
        } catch {
            throw FileError(path: path, "is not an ONNX model (or is truncated): \(error.message)")
        }
        guard let ir = model.irVersion, ir > 0, ir < 1000, let graph = model.graph else {
            throw FileError(path: path,
                            "is not an ONNX model: \(model.irVersion == nil ? "no IR version" : "no graph") in its \(bytes.count) bytes")
        }
        guard let opset = model.opsetImports.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" })?.version, opset > 0 else {
            throw FileError(path: path, "is not an ONNX model (or is truncated): it imports no version of ONNX's operators")
        }
        guard !graph.hasSparseInitializers else { throw FileError(path: path, "has sparse initializers; supported: dense weights") }

        var cache = [String: [UInt8]]()
        var constants = [String: TensorValue]()
        for tensor in graph.initializers {
            let what = "initializer \(tensor.name)"
            do throws(TensorError) {
                constants[tensor.name] = try TensorValue(tensor, what: what) { (location: String) throws(TensorError) -> [UInt8] in
                    if let file = cache[location] { return file }
                    guard Self.staysInside(location) else {
                        throw TensorError("its external data \(location) is outside the model's folder; "
                            + "supported: a location beside the model, such as NAME.onnx.data")
                    }
                    do throws(FileError) {
                        let file = try externalData(location)
                        cache[location] = file
                        return file
                    } catch {
                        throw TensorError("its external data \(error.description)")
                    }
                }
            } catch {
                throw FileError(path: path, error.message.hasPrefix(what) ? error.message : "\(what): \(error.message)")
            }
        }

        let reader = try ChainReader(graph: graph, constants: constants, opset: opset, path: path,
                                     imageHeight: imageHeight, imageWidth: imageWidth)
        let metadata = Dictionary(model.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        let normalization: InputNormalization?
        do {
            normalization = try InputNormalization(metadata: metadata, path: path)
        } catch {
            throw FileError(path: path, error.problem.replacingOccurrences(of: "__metadata__", with: "metadata_props"))
        }
        var parameters = [Float]()
        for layer in reader.layers {
            parameters += layer.weights.map { Float($0) }
            parameters += layer.bias.map { Float($0) }
        }
        do {
            network = try Network(imageHeight: imageHeight, imageWidth: imageWidth, kinds: reader.layers.map(\.kind),
                                  modelNames: reader.layers.map(\.name), parameters: parameters, normalization: normalization)
        } catch {
            throw FileError(path: path, "\(error.description)")
        }
        self.metadata = model.metadata
        producerName = model.producerName
        producerVersion = model.producerVersion
        irVersion = Int(ir)
        opsetVersion = Int(opset)
        notes = reader.notes
    }

    /// Whether `location` names a file in the model's folder or below it: not absolute, and
    /// no `..` that climbs out.
    static func staysInside(_ location: String) -> Bool {
        guard !location.hasPrefix("/"), !location.contains("\0"), !location.contains("\\") else { return false }
        var depth = 0
        for part in location.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
            if depth < 0 { return false }
        }
        return depth > 0
    }
}
