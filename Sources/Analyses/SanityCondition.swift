import Network

/// A model a sanity check projects through: the trained one, or one whose convolutional filters
/// were redrawn. `key` is the export's name.
public struct SanityCondition: Sendable, Hashable {
    /// `trained`, `random_conv3`, `random_conv2_conv3`, …, `switches_only`.
    public let key: String
    /// The numbers (1, 2, …) of the convolutional layers whose weights and biases are redrawn.
    public let redrawn: [Int]
    /// Whether the forward pass (the switches, masks and seeds) is recomputed with the redrawn
    /// filters; false for `switches_only`, which projects the trained pass's seeds down through
    /// the redrawn filters with the trained switches and ReLU masks.
    public let recomputesForward: Bool

    public init(key: String, redrawn: [Int], recomputesForward: Bool) {
        self.key = key
        self.redrawn = redrawn
        self.recomputesForward = recomputesForward
    }

    /// The report's model.
    public static let trained = SanityCondition(key: "trained", redrawn: [], recomputesForward: true)

    /// The conditions compared with `trained`: cascading randomisation from the top
    /// convolutional layer down (`random_conv{L}`, `random_conv{L−1}_conv{L}`, …,
    /// `random_conv1_…_conv{L}`), then `switches_only` (every layer redrawn, the trained forward
    /// pass). For LeNet-5: `random_conv2`, `random_conv1_conv2`, `switches_only`.
    public static func randomised(_ network: Network) -> [SanityCondition] {
        let count = network.convolutionalLayers.count
        let cascade = (1...count).reversed().map { low in
            let layers = Array(low...count)
            return SanityCondition(key: "random_" + layers.map { "conv\($0)" }.joined(separator: "_"), redrawn: layers, recomputesForward: true)
        }
        return cascade + [SanityCondition(key: "switches_only", redrawn: Array(1...count), recomputesForward: false)]
    }

    /// `trained`, then `randomised(network)`.
    public static func all(_ network: Network) -> [SanityCondition] { [trained] + randomised(network) }

    /// A short description for the writeup: "trained", "conv2 redrawn", "conv1–conv2 redrawn",
    /// "switches only".
    public var title: String {
        if self == .trained { return "trained" }
        if !recomputesForward { return "switches only" }
        let names = redrawn.map { "conv\($0)" }
        return (names.count == 1 ? names[0] : "\(names.first!)–\(names.last!)") + " redrawn"
    }
}
