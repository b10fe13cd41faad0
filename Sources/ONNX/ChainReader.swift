import FileIO
import Network

/// Walks an ONNX graph's nodes in order (ONNX stores them topologically sorted) and reads them as
/// a chain of the engine's layers. Every value of the graph is either known when the file is read
/// (an initializer, a constant, a static shape computation on the image of fixed size and batch 1)
/// or an activation of the one image input; each activation may feed one node of the chain, and
/// `Shape` nodes, which only read its size. What cannot be read as such a chain is refused in one
/// line that names the node, its operator and what is supported.
struct ChainReader {
    /// Where an activation's values sit relative to the engine's (C, H, W) maps or its vector.
    enum Layout: Equatable {
        /// (N, C, H, W): ONNX's own order, the engine's.
        case channelsFirst
        /// (N, H, W, C): Keras's order, before tf2onnx's transposes.
        case channelsLast
        /// (N, F) in the engine's order.
        case vector
        /// (N, H · W · C): maps flattened channels-last, which the next linear layer's columns absorb.
        case vectorChannelsLast(channels: Int, height: Int, width: Int)
    }

    struct Activation {
        var dims: [Int]
        var layout: Layout
    }

    enum Slot {
        case constant(TensorValue)
        case activation(Activation)
        /// An output that the chain does not provide (a max-pool's indices, a dropout's mask).
        case unavailable(String)
    }

    /// A layer read so far; weights (PyTorch's layout) and bias in Double until the end, so that
    /// folding rounds once.
    struct Pending {
        var kind: Layer.Kind
        var name: String?
        var weights: [Double] = []
        var bias: [Double] = []
        var outputs = 0
        var label: String
    }

    static let supportedOperators = "Conv, Relu, MaxPool, AveragePool, BatchNormalization (after a Conv or Gemm), Dropout, "
        + "Identity, Flatten or Reshape to one vector per image, Gemm, MatMul (+ Add), and a final Softmax or LogSoftmax, "
        + "with shape computations on constants"

    let path: String
    let opset: Int64
    var values: [String: Slot] = [:]
    /// The activation the next node of the chain must read.
    var head: String
    /// Which node read each activation of the chain.
    var readBy: [String: String] = [:]
    var layers: [Pending] = []
    /// The weighted layer that a BatchNormalization or a bias Add may still fold into.
    var foldTarget: Int?
    var ended = false
    var notes: [String] = []
    var staticOperators: [String] = []
    let batch: Int
    let imageHeight: Int
    let imageWidth: Int

    // MARK: - Reading

    /// Reads `graph` into layers; `constants` are its initializers' values.
    init(graph: GraphProto, constants: [String: TensorValue], opset: Int64, path: String,
         imageHeight: Int, imageWidth: Int) throws(FileError) {
        self.path = path
        self.opset = opset
        for (name, value) in constants { values[name] = .constant(value) }
        let dataInputs = graph.inputs.filter { constants[$0.name] == nil }
        guard dataInputs.count == 1 else {
            throw FileError(path: path, "the graph has \(dataInputs.count) inputs"
                + "\(dataInputs.isEmpty ? "" : " (" + dataInputs.map(\.name).joined(separator: ", ") + ")"); supported: one image input")
        }
        let input = dataInputs[0]
        let (batch, height, width, layout) = try Self.imageInput(input, path: path, imageHeight: imageHeight, imageWidth: imageWidth)
        (self.batch, self.imageHeight, self.imageWidth) = (batch, height, width)
        head = input.name
        values[input.name] = .activation(Activation(dims: layout == .channelsFirst ? [batch, 1, height, width] : [batch, height, width, 1],
                                                    layout: layout))

        for (index, node) in graph.nodes.enumerated() {
            try read(node, index: index)
        }
        try finish(graph)
    }

    /// The batch, image size and layout of the one input: (N, 1, H, W) or (N, H, W, 1), float,
    /// of the data's image size; N symbolic or fixed.
    private static func imageInput(_ input: ValueInfoProto, path: String, imageHeight: Int, imageWidth: Int) throws(FileError)
        -> (batch: Int, height: Int, width: Int, layout: Layout) {
        let supported = "supported: one grey channel, (N, 1, H, W) or (N, H, W, 1), of the data's \(imageHeight)×\(imageWidth) images"
        if let type = input.elementType, type != 1 {
            throw FileError(path: path, "the input \(input.name) holds \(DataType.name(type)) values; supported: float images")
        }
        guard let shape = input.shape else { throw FileError(path: path, "the input \(input.name) has no shape; \(supported)") }
        let text = "(" + shape.map { d -> String in
            switch d {
            case .value(let v): "\(v)"
            case .parameter(let p): p
            case .unknown: "?"
            }
        }.joined(separator: ", ") + ")"
        let dims = shape.dropFirst().map { d -> Int? in if case .value(let v) = d, v > 0, v < 1 << 20 { Int(v) } else { nil } }
        guard shape.count == 4, dims.allSatisfy({ $0 != nil }) else {
            throw FileError(path: path, "the input \(input.name) has shape \(text); \(supported)")
        }
        var batch = 1
        if case .value(let b) = shape[0] {
            guard b > 0, b <= 1 << 16 else { throw FileError(path: path, "the input \(input.name) has shape \(text); \(supported)") }
            batch = Int(b)
        }
        let (d1, d2, d3) = (dims[0]!, dims[1]!, dims[2]!)
        let layout: Layout, height: Int, width: Int
        if d1 == 1 {
            (layout, height, width) = (.channelsFirst, d2, d3)
        } else if d3 == 1 {
            (layout, height, width) = (.channelsLast, d1, d2)
        } else {
            let channels = d2 == d3 ? d1 : d3
            throw FileError(path: path,
                            "the input \(input.name) has shape \(text): \(channels) channels, not one grey channel; \(supported)")
        }
        guard height == imageHeight, width == imageWidth else {
            throw FileError(path: path, "the input \(input.name) has shape \(text): \(height)×\(width) images; \(supported)")
        }
        return (batch, height, width, layout)
    }

    private func label(_ node: NodeProto, _ index: Int) -> String {
        "node \(node.name.isEmpty ? "#\(index + 1)" : node.name) (\(node.opType))"
    }

    private func refuse(_ node: NodeProto, _ index: Int, _ problem: String, supported: String) -> FileError {
        FileError(path: path, "\(label(node, index)) \(problem); supported: \(supported)")
    }

    private mutating func read(_ node: NodeProto, index: Int) throws(FileError) {
        let label = label(node, index)
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw refuse(node, index, "is in the operator domain \(node.domain)",
                         supported: "ONNX's own operators: \(Self.supportedOperators)")
        }
        var inputs = [Slot?]()
        for name in node.inputs {
            if name.isEmpty { inputs.append(nil); continue }
            guard let slot = values[name] else {
                throw FileError(path: path,
                                "\(label) reads \(name), which no earlier node, initializer or input gives: not a valid ONNX graph")
            }
            if case .unavailable(let what) = slot {
                throw refuse(node, index, "reads \(what)", supported: "a chain that uses only each layer's output")
            }
            inputs.append(slot)
        }
        let activations = node.inputs.indices.filter { if case .activation = inputs[$0] { true } else { false } }

        // Static: every input known, or only the size of an activation read.
        if activations.isEmpty || node.opType == "Shape" || node.opType == "Size" {
            let known = inputs.map { slot -> TensorValue? in
                switch slot {
                case .constant(let v): v
                case .activation(let a): TensorValue(shape: a.dims, storage: .integers([]))
                default: nil
                }
            }
            guard StaticEvaluation.operators.contains(node.opType) else {
                throw refuse(node, index, "computes on constants only",
                             supported: "static evaluation of " + StaticEvaluation.operators.sorted().joined(separator: ", "))
            }
            let outputs: [TensorValue]
            do {
                outputs = try StaticEvaluation.evaluate(node, inputs: known, opset: opset)
            } catch {
                throw FileError(path: path, "\(label) \(error.message), evaluating it on the constants it reads")
            }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty { values[name] = .constant(value) }
            staticOperators.append(node.opType)
            return
        }

        if activations.count > 1 {
            let names = activations.map { node.inputs[$0] }
            throw refuse(node, index,
                         "combines \(names.count) results of the network (\(names.joined(separator: ", "))): a skip connection or branch",
                         supported: "a chain, each layer feeding only the next")
        }
        let inputIndex = activations[0], inputName = node.inputs[inputIndex]
        guard case .activation(let activation) = inputs[inputIndex] else { return }
        if let other = readBy[inputName] {
            throw refuse(node, index, "reads \(inputName), which \(other) reads too: a branch",
                         supported: "a chain, each layer feeding only the next")
        }
        if ended, node.opType != "Identity", node.opType != "Dropout" {
            throw refuse(node, index, "follows the final softmax", supported: "a Softmax or LogSoftmax as the last layer")
        }
        readBy[inputName] = label
        let constants = inputs.map { slot -> TensorValue? in if case .constant(let v) = slot { v } else { nil } }
        let output = try apply(node, index: index, activation: activation, inputIndex: inputIndex, constants: constants)
        guard let first = node.outputs.first, !first.isEmpty else { throw FileError(path: path, "\(label) has no output") }
        values[first] = .activation(output)
        head = first
        for extra in node.outputs.dropFirst() where !extra.isEmpty {
            values[extra] = .unavailable("\(extra), an extra output of \(label)")
        }
    }

    // MARK: - The layers

    private mutating func apply(_ node: NodeProto, index: Int, activation: Activation, inputIndex: Int,
                                constants: [TensorValue?]) throws(FileError) -> Activation {
        let label = label(node, index)
        let dims = activation.dims
        func fail(_ problem: String, _ supported: String) -> FileError { refuse(node, index, problem, supported: supported) }
        func constant(_ i: Int, _ what: String) throws(FileError) -> TensorValue {
            guard i < constants.count, let v = constants[i] else {
                throw fail("has no constant \(what)", "\(node.opType) with constant \(what)")
            }
            return v
        }
        func ints(_ name: String) -> [Int64]? { node.attribute(name)?.ints }
        func int(_ name: String) -> Int64? { node.attribute(name)?.i }
        func requireFirstInput() throws(FileError) {
            guard inputIndex == 0 else {
                throw fail("computes with the network's result as input \(inputIndex + 1)", "the network's result as input 1")
            }
        }
        func maps() throws(FileError) -> (c: Int, h: Int, w: Int) {
            guard activation.layout == .channelsFirst, dims.count == 4 else {
                let what = activation.layout == .channelsLast ? "channels-last maps" : "a vector"
                throw fail("reads \(what) of shape \(describe(dims))", "\(node.opType) on channels-first (N, C, H, W) maps")
            }
            return (dims[1], dims[2], dims[3])
        }
        func vector() throws(FileError) -> Int {
            guard dims.count == 2 else {
                throw fail("reads maps of shape \(describe(dims)), not one vector per image",
                           "\(node.opType) on one vector per image (N, F), after a Flatten")
            }
            return dims[1]
        }
        func moduleName(weight: String? = nil) -> String? { ModuleNames.name(of: node, weight: weight) }

        switch node.opType {
        case "Relu":
            append(Pending(kind: .relu, name: moduleName(), label: label), foldable: false)
            return activation

        case "Dropout", "Identity":
            notes.append("\(label) dropped")
            return activation

        case "Conv":
            try requireFirstInput()
            let (c, h, w) = try maps()
            let weight = try constant(1, "weights")
            guard weight.shape.count == 4 else {
                throw fail("has weights of shape \(weight.shapeText)", "2-D convolutions, weights (Cout, Cin, K, K)")
            }
            let group = int("group") ?? 1
            guard group == 1 else {
                throw fail("has \(group) groups", "Conv with one group (no grouped or depthwise convolutions) and dilation 1")
            }
            guard (ints("dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }) else {
                throw fail("has dilations \(ints("dilations")!)", "Conv with dilation 1 and one group")
            }
            let (cout, cin, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
            guard cout > 0, kh > 0 else {
                throw fail("has weights of shape \(weight.shapeText)", "weights with output channels and a kernel")
            }
            if let k = ints("kernel_shape"), k != [Int64(kh), Int64(kw)] {
                throw fail("has kernel_shape \(k) but weights of shape \(weight.shapeText)", "a kernel_shape that matches the weights")
            }
            guard kh == kw else { throw fail("has a \(kh)×\(kw) kernel", "square kernels") }
            guard cin == c else {
                throw fail("has weights for \(cin) input channels but reads \(c)", "weights that fit the maps they read")
            }
            let stride = try squareStride(node, index: index)
            let padding = try symmetricPadding(node, index: index, kernel: kh, stride: stride, height: h, width: w, allowPads: true)
            guard h + 2 * padding >= kh, w + 2 * padding >= kh else {
                throw fail("has a \(kh)×\(kh) kernel larger than its padded \(h)×\(w) input", "kernels that fit their input")
            }
            var bias = [Double](repeating: 0, count: cout)
            if let b = constants.count > 2 ? constants[2] : nil {
                guard b.count == cout else {
                    throw fail("has a bias of shape \(b.shapeText) for \(cout) channels", "a bias of one value per output channel")
                }
                bias = b.doubles
            } else if node.inputs.count > 2, !node.inputs[2].isEmpty {
                throw fail("has a bias computed from the image", "a constant bias")
            }
            append(Pending(kind: .convolution(outChannels: cout, kernel: kh, stride: stride, padding: padding),
                           name: moduleName(weight: node.inputs[1]), weights: weight.doubles, bias: bias, outputs: cout, label: label),
                   foldable: true)
            let outH = (h + 2 * padding - kh) / stride + 1, outW = (w + 2 * padding - kh) / stride + 1
            return Activation(dims: [dims[0], cout, outH, outW], layout: .channelsFirst)

        case "MaxPool", "AveragePool", "GlobalMaxPool", "GlobalAveragePool":
            let (c, h, w) = try maps()
            let kernel: Int, stride: Int
            if node.opType.hasPrefix("Global") {
                guard h == w else { throw fail("pools \(h)×\(w) maps", "square maps for a global pooling") }
                (kernel, stride) = (h, h)
            } else {
                guard let k = ints("kernel_shape"), k.count == 2 else { throw fail("has no 2-D kernel_shape", "2-D pooling") }
                guard k[0] == k[1], k[0] > 0, k[0] <= Int64(min(h, w)) else {
                    throw fail("has a \(k[0])×\(k[1]) window on \(h)×\(w) maps", "square pooling windows that fit their maps")
                }
                kernel = Int(k[0])
                stride = try squareStride(node, index: index)
                guard (int("ceil_mode") ?? 0) == 0 else { throw fail("has ceil_mode 1", "pooling with ceil_mode 0 and no padding") }
                guard (ints("dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }) else { throw fail("has dilations", "pooling with dilation 1") }
                _ = try symmetricPadding(node, index: index, kernel: kernel, stride: stride, height: h, width: w, allowPads: false)
            }
            let kind: Layer.Kind = node.opType.hasSuffix("MaxPool")
                ? .maxPool(kernel: kernel, stride: stride)
                : .averagePool(kernel: kernel, stride: stride)
            append(Pending(kind: kind, name: moduleName(), label: label), foldable: false)
            return Activation(dims: [dims[0], c, (h - kernel) / stride + 1, (w - kernel) / stride + 1], layout: .channelsFirst)

        case "BatchNormalization":
            try requireFirstInput()
            guard (int("training_mode") ?? 0) == 0 else { throw fail("is in training mode", "BatchNormalization in inference mode") }
            guard let target = foldTarget else {
                throw fail("follows no Conv or Gemm it could be folded into", "BatchNormalization right after a Conv, Gemm or MatMul")
            }
            let channels = max(layers[target].outputs, 1)
            let (scale, shift, mean, variance) = (try constant(1, "scale"), try constant(2, "bias"),
                                                  try constant(3, "mean"), try constant(4, "variance"))
            guard [scale, shift, mean, variance].allSatisfy({ $0.count == channels }), dims.count >= 2, dims[1] == channels else {
                throw fail("has statistics that do not match the \(channels) channels of \(layers[target].label)", "one value per channel")
            }
            let epsilon = Double(node.attribute("epsilon")?.f ?? 1e-5)
            let (g, b, m, v) = (scale.doubles, shift.doubles, mean.doubles, variance.doubles)
            let per = layers[target].weights.count / channels
            for ch in 0..<channels {
                let factor = g[ch] / (v[ch] + epsilon).squareRoot()
                guard factor.isFinite else {
                    throw fail("has a variance and epsilon that divide by zero in channel \(ch)", "positive variances")
                }
                for i in ch * per..<(ch + 1) * per { layers[target].weights[i] *= factor }
                layers[target].bias[ch] = (layers[target].bias[ch] - m[ch]) * factor + b[ch]
            }
            notes.append("\(label) folded into \(layers[target].name ?? layers[target].label)")
            return activation

        case "Add", "Sub":
            guard let target = foldTarget else {
                throw fail("adds a constant to a result with no bias to take it", "Add of a bias right after a Conv, Gemm or MatMul")
            }
            guard node.opType == "Add" || inputIndex == 0 else {
                throw fail("subtracts the network's result from a constant", "Sub of a constant bias")
            }
            let other = try constant(1 - inputIndex, "bias")
            let n = layers[target].outputs
            // One value per output channel: (C, 1, 1) against maps, (F) against a vector, or one for all.
            let expected: [Int]
            if case .convolution = layers[target].kind { expected = [n, 1, 1] } else { expected = [n] }
            guard other.count == 1 || Array(other.shape.drop { $0 == 1 }) == expected else {
                throw fail("adds a constant of shape \(other.shapeText), not a bias of \(layers[target].label)'s \(n) outputs",
                           "Add of one value per output")
            }
            let values = other.count == 1 ? [Double](repeating: other.doubles[0], count: n) : other.doubles
            for i in 0..<n { layers[target].bias[i] += node.opType == "Add" ? values[i] : -values[i] }
            notes.append("\(label) folded into the bias of \(layers[target].name ?? layers[target].label)")
            return activation

        case "Gemm", "MatMul":
            try requireFirstInput()
            let features = try vector()
            let b = try constant(1, "weights")
            guard b.shape.count == 2 else { throw fail("has weights of shape \(b.shapeText)", "2-D weights") }
            var transposed = node.opType == "Gemm" && (int("transB") ?? 0) != 0
            if node.opType == "Gemm" {
                guard (int("transA") ?? 0) == 0 else { throw fail("has transA 1", "Gemm with transA 0") }
            }
            let (rows, columns) = (b.shape[0], b.shape[1])
            let (inFeatures, outFeatures) = transposed ? (columns, rows) : (rows, columns)
            guard inFeatures == features, outFeatures > 0 else {
                throw fail("has weights of shape \(b.shapeText) for \(features) inputs", "weights that fit the vector they read")
            }
            // (out, in): PyTorch's layout.
            var weights = b.doubles
            if !transposed {
                weights = StaticEvaluation.transpose(TensorValue(shape: b.shape, storage: .doubles(weights)), perm: [1, 0]).doubles
                transposed = true
            }
            var bias = [Double](repeating: 0, count: outFeatures)
            if node.opType == "Gemm" {
                let alpha = Double(node.attribute("alpha")?.f ?? 1), beta = Double(node.attribute("beta")?.f ?? 1)
                guard alpha.isFinite, beta.isFinite else { throw fail("has alpha \(alpha) and beta \(beta)", "finite alpha and beta") }
                if let c = constants.count > 2 ? constants[2] : nil {
                    guard c.count == 1 || Array(c.shape.drop { $0 == 1 }) == [outFeatures] else {
                        throw fail("has a C of shape \(c.shapeText) for \(outFeatures) outputs", "a bias C of one value per output")
                    }
                    bias = c.count == 1 ? [Double](repeating: c.doubles[0] * beta, count: outFeatures) : c.doubles.map { $0 * beta }
                } else if node.inputs.count > 2, !node.inputs[2].isEmpty {
                    throw fail("has a bias computed from the image", "a constant bias")
                }
                if alpha != 1 { weights = weights.map { $0 * alpha } }
                if alpha != 1 || beta != 1 { notes.append("\(label): alpha \(alpha) and beta \(beta) folded into its weights and bias") }
            }
            if case .vectorChannelsLast(let c, let h, let w) = activation.layout {
                // The image's maps were flattened as (H, W, C); the engine flattens (C, H, W).
                var permuted = [Double](repeating: 0, count: weights.count)
                for o in 0..<outFeatures {
                    for ch in 0..<c {
                        for y in 0..<h {
                            for x in 0..<w {
                                permuted[o * features + (ch * h + y) * w + x] = weights[o * features + (y * w + x) * c + ch]
                            }
                        }
                    }
                }
                weights = permuted
            }
            append(Pending(kind: .linear(outFeatures: outFeatures), name: moduleName(weight: node.inputs[1]), weights: weights, bias: bias,
                           outputs: outFeatures, label: label), foldable: true)
            if case .vectorChannelsLast = activation.layout {
                notes.append("\(label): its weight columns permuted from the channels-last (H, W, C) flatten order to (C, H, W)")
            }
            return Activation(dims: [dims[0], outFeatures], layout: .vector)

        case "Flatten":
            let rank = dims.count
            let axis = int("axis") ?? 1
            guard axis == 1 || axis == Int64(1 - rank) else { throw fail("has axis \(axis)", "Flatten with axis 1: one vector per image") }
            return try flatten(node, index: index, activation: activation)

        case "Reshape":
            try requireFirstInput()
            let shape = try constant(1, "shape")
            guard let target = shape.integers else { throw fail("has a shape that is not integers", "a constant integer shape") }
            let result: [Int]
            do {
                result = try StaticEvaluation.reshaped(dims, to: target, allowZero: (int("allowzero") ?? 0) != 0)
            } catch {
                throw fail("\(error.message)", "a Reshape to one vector per image")
            }
            if result == dims { notes.append("\(label) dropped: it keeps the shape \(describe(dims))"); return activation }
            if result.count == 2, result[0] == dims[0], dims.count == 4 { return try flatten(node, index: index, activation: activation) }
            if dims.count == 4, result.count == 4, result[0] == dims[0] {
                // A channels-last image of one channel is a channels-first one: the same values in the same order.
                if activation.layout == .channelsLast, dims[3] == 1, result == [dims[0], 1, dims[1], dims[2]] {
                    notes.append("\(label) dropped: it only relabels one-channel maps from channels-last to channels-first")
                    return Activation(dims: result, layout: .channelsFirst)
                }
                if activation.layout == .channelsFirst, dims[1] == 1, result == [dims[0], dims[2], dims[3], 1] {
                    notes.append("\(label) dropped: it only relabels one-channel maps from channels-first to channels-last")
                    return Activation(dims: result, layout: .channelsLast)
                }
            }
            throw fail("reshapes \(describe(dims)) to \(describe(result))",
                       "a Reshape to one vector per image, or one that only relabels a one-channel image")

        case "Transpose":
            let rank = dims.count
            let perm = ints("perm") ?? (0..<Int64(rank)).reversed()
            if perm == (0..<Int64(rank)).map({ $0 }) { notes.append("\(label) dropped: it keeps the order"); return activation }
            let newDims = perm.compactMap { $0 >= 0 && $0 < Int64(rank) ? dims[Int($0)] : nil }
            guard rank == 4, newDims.count == 4 else {
                throw fail("permutes \(describe(dims)) by \(perm)", "Transpose between channels-first and channels-last maps")
            }
            if perm == [0, 2, 3, 1], activation.layout == .channelsFirst {
                notes.append("\(label) to channels-last: folded into the layer after the flatten")
                return Activation(dims: newDims, layout: .channelsLast)
            }
            if perm == [0, 3, 1, 2], activation.layout == .channelsLast {
                notes.append("\(label) to channels-first: the engine's own order")
                return Activation(dims: newDims, layout: .channelsFirst)
            }
            throw fail("permutes \(describe(dims)) by \(perm)", "Transpose between channels-first and channels-last maps")

        case "Softmax", "LogSoftmax":
            let features = try vector()
            guard activation.layout == .vector else {
                throw fail("reads the maps flattened channels-last", "a Softmax after a linear layer")
            }
            let axis = int("axis") ?? (opset < 13 ? 1 : -1)
            guard axis == 1 || axis == -1 else { throw fail("has axis \(axis)", "a Softmax over each image's classes, axis 1 or -1") }
            append(Pending(kind: node.opType == "Softmax" ? .softmax : .logSoftmax, name: moduleName(), outputs: features, label: label),
                   foldable: false)
            ended = true
            return activation

        default:
            throw fail("is not supported", "a chain of \(Self.supportedOperators)")
        }
    }

    /// A Flatten or Reshape that makes one vector per image.
    private mutating func flatten(_ node: NodeProto, index: Int, activation: Activation) throws(FileError) -> Activation {
        let dims = activation.dims
        let label = label(node, index)
        switch activation.layout {
        case .vector, .vectorChannelsLast:
            notes.append("\(label) dropped: its input is already one vector per image")
            return activation
        case .channelsFirst:
            append(Pending(kind: .flatten, name: ModuleNames.name(of: node), label: label), foldable: false)
            return Activation(dims: [dims[0], dims[1...].reduce(1, *)], layout: .vector)
        case .channelsLast:
            append(Pending(kind: .flatten, name: ModuleNames.name(of: node), label: label), foldable: false)
            return Activation(dims: [dims[0], dims[1...].reduce(1, *)],
                              layout: .vectorChannelsLast(channels: dims[3], height: dims[1], width: dims[2]))
        }
    }

    private mutating func append(_ layer: Pending, foldable: Bool) {
        layers.append(layer)
        foldTarget = foldable ? layers.count - 1 : nil
    }

    private func squareStride(_ node: NodeProto, index: Int) throws(FileError) -> Int {
        let strides = node.attribute("strides")?.ints ?? [1, 1]
        guard strides.count == 2, strides[0] == strides[1], strides[0] > 0, strides[0] < 1 << 16 else {
            throw refuse(node, index, "has strides \(strides)", supported: "equal strides in both directions")
        }
        return Int(strides[0])
    }

    /// The padding on every side; `allowPads` false (pooling) refuses any.
    private func symmetricPadding(_ node: NodeProto, index: Int, kernel: Int, stride: Int, height: Int, width: Int,
                                  allowPads: Bool) throws(FileError) -> Int {
        let what = allowPads ? "the same padding on every side" : "pooling without padding"
        let autoPad = node.attribute("auto_pad")?.string ?? "NOTSET"
        var pads: [Int64]
        switch autoPad {
        case "NOTSET", "":
            pads = node.attribute("pads")?.ints ?? [0, 0, 0, 0]
        case "VALID":
            pads = [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            func total(_ size: Int) -> Int64 { Int64(max(((size + stride - 1) / stride - 1) * stride + kernel - size, 0)) }
            let (th, tw) = (total(height), total(width))
            guard th % 2 == 0, tw % 2 == 0 else {
                throw refuse(node, index, "has auto_pad \(autoPad), which pads \(th) rows and \(tw) columns unevenly", supported: what)
            }
            pads = [th / 2, tw / 2, th / 2, tw / 2]
        default:
            throw refuse(node, index, "has auto_pad \(autoPad)", supported: what)
        }
        guard pads.count == 4, Set(pads).count == 1, pads[0] >= 0, pads[0] < 1 << 16 else {
            throw refuse(node, index, "has pads \(pads)", supported: what)
        }
        guard allowPads || pads[0] == 0 else { throw refuse(node, index, "has pads \(pads)", supported: what) }
        return Int(pads[0])
    }

    /// Checks that the chain ends in the graph's one output.
    private mutating func finish(_ graph: GraphProto) throws(FileError) {
        guard graph.outputs.count == 1 else {
            throw FileError(path: path, "the graph has \(graph.outputs.count) outputs "
                + "(\(graph.outputs.map(\.name).joined(separator: ", "))); supported: one output, the class scores")
        }
        let output = graph.outputs[0].name
        guard output == head else {
            throw FileError(path: path, "the graph's output \(output) is not the end of the chain of layers (\(head)); "
                + "supported: a chain whose last layer is the output")
        }
        if !staticOperators.isEmpty {
            let list = staticOperators.count > 10
                ? staticOperators.prefix(10).joined(separator: ", ") + ", …"
                : staticOperators.joined(separator: ", ")
            notes.append("\(staticOperators.count) node\(staticOperators.count == 1 ? "" : "s") on constants and shapes "
                + "evaluated when reading: \(list)")
        }
    }
}
