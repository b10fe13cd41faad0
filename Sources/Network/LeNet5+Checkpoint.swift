import FileIO
extension LeNet5 {
    /// The parameters under PyTorch's names and shapes, with `metadata` and the model's input
    /// normalisation (`input_mean`, `input_std`, when it has one) in `__metadata__`.
    public func checkpoint(metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata.merging(normalization?.metadata ?? [:]) { $1 })
        for p in Parameter.allCases { file[p.name] = .init(shape: p.shape, values: Array(self[p])) }
        return file
    }

    /// The dtypes a checkpoint's weights were converted from on reading (F16, BF16, F64), sorted;
    /// empty when they were stored as F32.
    public static func convertedDTypes(in file: Safetensors) -> [String] {
        Set(file.names.compactMap { file[$0]?.convertedFrom?.rawValue }).sorted()
    }

    /// Loads the parameters from a checkpoint, which must hold exactly LeNet-5's ten tensors, under
    /// PyTorch's names as `CheckpointNames` finds them, as floating-point numbers (F16, BF16 and
    /// F64 are converted to F32), with the input normalisation its metadata records, if any.
    public init(checkpoint file: Safetensors, path: String) throws(FileError) {
        try self.init(checkpoint: file, names: CheckpointNames(file, path: path), path: path)
    }

    /// Loads the parameters from the tensors `names` found in `file`.
    public init(checkpoint file: Safetensors, names: CheckpointNames, path: String) throws(FileError) {
        var parameters = [Float]()
        parameters.reserveCapacity(Self.parameterCount)
        for p in Parameter.allCases {
            let name = names[p]
            guard let tensor = file[name], tensor.shape == p.shape else {
                throw FileError(path: path, "has no tensor \(name) of shape \(p.shape) for LeNet-5's \(p.name)")
            }
            guard tensor.dtype == .f32 else {
                throw FileError(path: path,
                                "tensor \(name) holds integers (\(tensor.dtype.rawValue)); LeNet-5 needs floating-point weights")
            }
            parameters += tensor.values
        }
        guard parameters.allSatisfy(\.isFinite) else { throw FileError(path: path, "holds NaN or infinite weights") }
        self.init(parameters: parameters, normalization: try InputNormalization(metadata: file.metadata, path: path))
    }
}
