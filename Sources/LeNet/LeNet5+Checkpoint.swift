import FileIO
extension LeNet5 {
    /// The parameters under PyTorch's names and shapes, with `metadata` in `__metadata__`.
    public func checkpoint(metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        for p in Parameter.allCases { file[p.name] = .init(shape: p.shape, values: Array(self[p])) }
        return file
    }

    /// The dtypes a checkpoint's weights were converted from on reading (F16, BF16, F64), sorted;
    /// empty when they were stored as F32.
    public static func convertedDTypes(in file: Safetensors) -> [String] {
        Set(Parameter.allCases.compactMap { file[$0.name]?.convertedFrom?.rawValue }).sorted()
    }

    /// Loads the parameters from a checkpoint, which must hold exactly the ten tensors with the
    /// right shapes, as floating-point numbers (F16, BF16 and F64 are converted to F32).
    public init(checkpoint file: Safetensors, path: String) throws(FileError) {
        var parameters = [Float]()
        parameters.reserveCapacity(Self.parameterCount)
        for p in Parameter.allCases {
            guard let tensor = file[p.name] else { throw FileError(path: path, "has no tensor \(p.name)") }
            guard tensor.shape == p.shape else {
                throw FileError(path: path, "tensor \(p.name) has shape \(tensor.shape), LeNet-5 needs \(p.shape)")
            }
            guard tensor.dtype == .f32 else {
                throw FileError(path: path, "tensor \(p.name) holds integers (\(tensor.dtype.rawValue)); LeNet-5 needs floating-point weights")
            }
            parameters += tensor.values
        }
        let expected = Set(Parameter.allCases.map(\.name))
        if let extra = file.names.first(where: { !expected.contains($0) }) {
            throw FileError(path: path, "has a tensor \(extra) that LeNet-5 does not have")
        }
        guard parameters.allSatisfy(\.isFinite) else { throw FileError(path: path, "holds NaN or infinite weights") }
        self.init(parameters: parameters)
    }
}
