extension LeNet5 {
    /// The parameters under PyTorch's names and shapes, with `metadata` in `__metadata__`.
    public func checkpoint(metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        for p in Parameter.allCases { file[p.name] = .init(shape: p.shape, values: Array(self[p])) }
        return file
    }

    /// Loads the parameters from a checkpoint, which must hold exactly the ten tensors with the
    /// right shapes.
    public init(checkpoint file: Safetensors, path: String) throws(SafetensorsError) {
        var parameters = [Float]()
        parameters.reserveCapacity(Self.parameterCount)
        for p in Parameter.allCases {
            guard let tensor = file[p.name] else { throw SafetensorsError(path: path, "has no tensor \(p.name)") }
            guard tensor.shape == p.shape else {
                throw SafetensorsError(path: path, "tensor \(p.name) has shape \(tensor.shape), LeNet-5 needs \(p.shape)")
            }
            guard tensor.dtype == .f32 else {
                throw SafetensorsError(path: path, "tensor \(p.name) has dtype \(tensor.dtype.rawValue), LeNet-5 needs F32")
            }
            parameters += tensor.values
        }
        let expected = Set(Parameter.allCases.map(\.name))
        if let extra = file.names.first(where: { !expected.contains($0) }) {
            throw SafetensorsError(path: path, "has a tensor \(extra) that LeNet-5 does not have")
        }
        guard parameters.allSatisfy(\.isFinite) else { throw SafetensorsError(path: path, "holds NaN or infinite weights") }
        self.init(parameters: parameters)
    }
}
