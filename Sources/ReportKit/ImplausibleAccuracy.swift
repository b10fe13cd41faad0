import Network

/// A loaded model whose test accuracy is too low for a trained LeNet-5 on MNIST (one epoch of
/// training reaches about 98 %), with its likely causes and the option to try first.
struct ImplausibleAccuracy {
    static let threshold = 0.9
    /// The mean and std of MNIST's training pixels, with which PyTorch's MNIST examples normalise.
    static let pyTorchMNIST = InputNormalization(mean: 0.1307, std: 0.3081)!

    let accuracy: Double
    /// The input convention this run used.
    let normalization: InputNormalization?
    /// Whether the network is LeNet-5, whose shapes another network's tensors may have.
    let isLeNet5: Bool

    /// nil unless the model was loaded from a file and its test accuracy is below `threshold`.
    init?(_ obtained: ObtainedModel, _ evaluation: Evaluation) {
        guard obtained.source == .loaded, evaluation.accuracy < Self.threshold else { return nil }
        accuracy = evaluation.accuracy
        normalization = obtained.network.normalization
        isLeNet5 = obtained.network.isLeNet5
    }

    /// The option to try first: PyTorch's MNIST normalisation, or none when that is the one this
    /// run used; and what it means.
    var suggestion: String {
        normalization == Self.pyTorchMNIST ? "--normalize 0 1" : "--normalize \(Self.pyTorchMNIST.mean) \(Self.pyTorchMNIST.std)"
    }
    var suggestionMeaning: String {
        normalization == Self.pyTorchMNIST ? "no normalisation" : "the mean and std of PyTorch's MNIST examples"
    }

    /// The input convention this run used, in words.
    var used: String { normalization.map { "pixels normalised as \($0.formula)" } ?? "pixels as byte / 255, not normalised" }

    /// The terminal's warning, on one line.
    var warning: String {
        "warning: test accuracy \(Formatted.percent(accuracy).replacingOccurrences(of: "\u{00A0}", with: " ")) is implausibly low "
            + "for a trained \(isLeNet5 ? "LeNet-5" : "network") on MNIST (below \(Int(100 * Self.threshold)) %). Likely causes: the model was trained on "
            + "other inputs than this run's (\(used); try \(suggestion), \(suggestionMeaning));"
            + (isLeNet5 ? " it is another network with LeNet-5's shapes;" : "") + " or it is untrained"
    }
}
