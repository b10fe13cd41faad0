import FileIO

/// How a model wants its input: pixels (byte / 255) as (x − mean) / std, in Float, as
/// torchvision's `Normalize` computes it. PyTorch's MNIST examples train on mean 0.1307 and std
/// 0.3081; a model trained that way sees ordinary pixels as much too dark.
public struct InputNormalization: Sendable, Equatable, Codable {
    public let mean: Float
    public let std: Float

    /// nil unless both are finite and `std` is positive.
    public init?(mean: Float, std: Float) {
        guard mean.isFinite, std.isFinite, std > 0 else { return nil }
        self.mean = mean
        self.std = std
    }

    /// Mean 0 and std 1 change no pixel: the same as no normalisation.
    public var isIdentity: Bool { mean == 0 && std == 1 }

    /// "(x − 0.1307) / 0.3081".
    public var formula: String { "(x − \(mean)) / \(std)" }

    /// The `__metadata__` keys of a model file that record it.
    public static let meanKey = "input_mean", stdKey = "input_std"

    /// The two keys, with the shortest decimals that read back as the same floats.
    public var metadata: [String: String] { [Self.meanKey: "\(mean)", Self.stdKey: "\(std)"] }

    /// The normalisation a model file's metadata records; nil when it records none, and an
    /// error naming `path` when it records only one key or a value that is no usable number.
    public init?(metadata: [String: String], path: String) throws(FileError) {
        let (mean, std) = (metadata[Self.meanKey], metadata[Self.stdKey])
        guard mean != nil || std != nil else { return nil }
        guard let mean, let std else {
            throw FileError(path: path, "__metadata__ has \(mean == nil ? Self.stdKey : Self.meanKey) but no "
                + "\(mean == nil ? Self.meanKey : Self.stdKey); an input normalisation needs both")
        }
        guard let m = Float(mean), let s = Float(std),
              let normalization = Self(mean: m, std: s) else {
            throw FileError(path: path, "__metadata__ gives \(Self.meanKey) \"\(mean)\" and \(Self.stdKey) \"\(std)\"; "
                + "they must be numbers, the std positive")
        }
        self = normalization
    }

    /// Normalises `count` pixels in place.
    func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let (mean, std) = (mean, std)
        for i in 0..<count { values[i] = (values[i] - mean) / std }
    }
}
