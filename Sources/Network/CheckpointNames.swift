import FileIO

/// Which tensor of a model file holds each of LeNet-5's parameters.
///
/// PyTorch names a state dict's tensors after the module's attributes: `conv1.weight` for a module
/// like this project's, `module.conv1.weight` through `DataParallel`, `features.0.weight` in an
/// `nn.Sequential`. LeNet-5's own names are taken as they are, also under a prefix that every
/// tensor shares (`model.`, `module.`, `net.`, …). Other names are matched by shape: LeNet-5's ten
/// shapes all differ and chain into one another (conv1's 6 output channels are conv2's inputs,
/// conv2's 16 × 5 × 5 outputs fc1's 400 inputs, and so on down to the 10 classes), so a tensor's
/// shape says which layer it is, and its name need only keep each weight with its own bias.
public struct CheckpointNames: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// LeNet-5's own names, after `prefix` (empty when there is none).
        case names(prefix: String)
        /// Each tensor taken for the layer whose shape it has.
        case shapes
    }

    public let rule: Rule
    /// The file's name of each parameter, in `LeNet5.Parameter` order.
    private let fileNames: [String]

    public subscript(_ p: LeNet5.Parameter) -> String { fileNames[LeNet5.Parameter.allCases.firstIndex(of: p)!] }

    /// True when the file uses LeNet-5's own names without a prefix.
    public var areOwn: Bool { rule == .names(prefix: "") }

    /// How the file's layers were read, "module.conv1 → conv1, …, module.fc3 → fc3 (prefix module.
    /// removed)" or "features.0 → conv1, …, classifier.4 → fc3 (matched by shape)"; nil for the
    /// file's own names.
    public var summary: String? {
        guard !areOwn else { return nil }
        let layers = Self.layers.map { weight, _, layer in "\(Self.module(of: self[weight])) → \(layer)" }.joined(separator: ", ")
        switch rule {
        case .names(let prefix): return "\(layers) (prefix \(prefix) removed)"
        case .shapes: return "\(layers) (matched by shape)"
        }
    }

    /// Finds the ten tensors in `file`; a file that is not LeNet-5 is refused in one line that
    /// names the first tensor that does not fit (`path` only names the file).
    public init(_ file: Safetensors, path: String) throws(FileError) {
        let own = Set(LeNet5.Parameter.allCases.map(\.name))
        let usesOwnNames = { (prefix: String) in
            file.names.contains { $0.hasPrefix(prefix) && own.contains(String($0.dropFirst(prefix.count))) }
        }
        let common = Self.commonPrefix(file.names)
        if usesOwnNames("") {
            try self.init(file, prefix: "", path: path)
        } else if usesOwnNames(common) {
            try self.init(file, prefix: common, path: path)
        } else {
            try self.init(matchingShapesIn: file, path: path)
        }
    }

    /// LeNet-5's names after `prefix`: every one present with its shape, nothing else.
    private init(_ file: Safetensors, prefix: String, path: String) throws(FileError) {
        var names = [String]()
        for p in LeNet5.Parameter.allCases {
            let name = prefix + p.name
            guard let tensor = file[name] else { throw FileError(path: path, "has no tensor \(name)") }
            guard tensor.shape == p.shape else {
                throw FileError(path: path, "tensor \(name) has shape \(tensor.shape), LeNet-5 needs \(p.shape)")
            }
            names.append(name)
        }
        let expected = Set(names)
        if let extra = file.names.sorted(by: Self.naturalOrder).first(where: { !expected.contains($0) }) {
            throw FileError(path: path, "has a tensor \(extra) that LeNet-5 does not have")
        }
        (rule, fileNames) = (.names(prefix: prefix), names)
    }

    /// Each tensor, in the natural order of the names, for the parameter with its shape.
    private init(matchingShapesIn file: Safetensors, path: String) throws(FileError) {
        var found = [LeNet5.Parameter: String]()
        for name in file.names.sorted(by: Self.naturalOrder) {
            let shape = file[name]!.shape
            guard let p = LeNet5.Parameter.allCases.first(where: { $0.shape == shape }) else {
                throw FileError(path: path, "tensor \(name) has shape \(shape), which no layer of LeNet-5 has: the file holds another "
                    + "network (LeNet-5 is conv 6@5×5 pad 2, conv 16@5×5, linear 400 → 120 → 84 → 10)")
            }
            if let taken = found[p] {
                throw FileError(path: path, "tensor \(name) has the shape of LeNet-5's \(p.name), \(shape), which \(taken) already has: "
                    + "the file holds another network, with more layers than LeNet-5")
            }
            found[p] = name
        }
        for p in LeNet5.Parameter.allCases where found[p] == nil {
            throw FileError(path: path, "has no tensor of shape \(p.shape) for LeNet-5's \(p.name)")
        }
        for (weight, bias, layer) in Self.layers {
            let (w, b) = (found[weight]!, found[bias]!)
            if w.hasSuffix(".weight"), b.hasSuffix(".bias"), Self.module(of: w) != Self.module(of: b) {
                throw FileError(path: path, "tensor \(b) has the shape of \(layer)'s bias but belongs to another module than "
                    + "\(w), which has the shape of \(layer)'s weight")
            }
        }
        (rule, fileNames) = (.shapes, LeNet5.Parameter.allCases.map { found[$0]! })
    }

    private static let layers: [(LeNet5.Parameter, LeNet5.Parameter, String)] = [
        (.conv1Weight, .conv1Bias, "conv1"), (.conv2Weight, .conv2Bias, "conv2"),
        (.fc1Weight, .fc1Bias, "fc1"), (.fc2Weight, .fc2Bias, "fc2"), (.fc3Weight, .fc3Bias, "fc3"),
    ]

    /// The file's module name of each of the five weighted layers ("features.0", …, or "conv1", …).
    public var modules: [String] { Self.layers.map { weight, _, _ in String(Self.module(of: self[weight])) } }

    /// "features.0" of "features.0.weight".
    static func module(of name: String) -> Substring {
        name.lastIndex(of: ".").map { name[..<$0] } ?? Substring(name)
    }

    /// The leading dotted components that every name shares ("module."), keeping at least one
    /// component of each name; empty when there are none.
    static func commonPrefix(_ names: [String]) -> String {
        guard var shared = names.first?.split(separator: ".", omittingEmptySubsequences: false).dropLast() else { return "" }
        for name in names.dropFirst() {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).dropLast()
            shared = shared.prefix(zip(shared, parts).prefix { $0 == $1 }.count)
        }
        return shared.isEmpty ? "" : shared.joined(separator: ".") + "."
    }

    /// Dotted names compared part by part, numbers as numbers: features.2 before features.10.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.split(separator: "."), b.split(separator: "."))
        for (p, q) in zip(x, y) where p != q {
            if let m = Int(p), let n = Int(q) { return m < n }
            return p < q
        }
        return x.count < y.count
    }
}
