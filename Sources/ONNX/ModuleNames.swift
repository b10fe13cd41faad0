/// The name a user recognises for a layer read from an ONNX node: the module path of the model
/// it was exported from (`conv1`, `features.3`, Keras's `conv2d_1`), where the file keeps one.
enum ModuleNames {
    /// From, in order: the weight initializer's PyTorch name (`features.3.weight` → `features.3`);
    /// the default exporter's `namespace` metadata (the innermost module, not an `aten` function);
    /// a scoped node name (`/features/features.3/Conv` of the legacy exporter or tf2onnx's
    /// `sequential/conv2d_1/BiasAdd`: the scope holding the operator); for a weighted layer whose
    /// weights have a synthetic name (`onnx::Conv_30`), its node's name. nil where none of these.
    static func name(of node: NodeProto, weight: String? = nil) -> String? {
        if let weight, !weight.hasPrefix("onnx::"), weight.hasSuffix(".weight"), weight.count > ".weight".count {
            return String(weight.dropLast(".weight".count))
        }
        if let namespace = node.metadata.first(where: { $0.key == "namespace" })?.value {
            var module: String?
            for part in namespace.split(separator: "/") {
                guard let colon = part.range(of: ": ") else { continue }
                let name = part[..<colon.lowerBound], type = part[colon.upperBound...]
                if !name.isEmpty, !type.hasPrefix("aten.") { module = String(name) }
            }
            if let module { return module }
        }
        let scopes = node.name.split(separator: "/")
        if scopes.count >= 2 { return String(scopes[scopes.count - 2]) }
        return weight != nil && !node.name.isEmpty ? node.name : nil
    }
}
