/// How a signal passes a ReLU on its way down through a network (`Network.backward`). The three
/// rules share everything else: each unpools through the max-pool switches and filters with the
/// flipped weights, with no bias.
public enum BackwardRule: String, CaseIterable, Sendable {
    /// Simonyan, Vedaldi & Zisserman (2013): the signal where the forward ReLU's input was
    /// positive, 0 elsewhere; the projection is then the true gradient of the seeded pooled output.
    case gradient
    /// Zeiler & Fergus (2013): the signal rectified, whatever the forward pass did.
    case deconvnet
    /// Springenberg et al. (2015), guided backpropagation: both, so only positive signal that the
    /// forward pass let through survives.
    case guided

    /// Passes one value of a signal back through a ReLU whose forward output there was `forward`
    /// (ReLU's input > 0 exactly where its output is, so `forward > 0` is the mask).
    @inline(__always)
    public func pass(_ signal: Float, forward: Float) -> Float {
        switch self {
        case .gradient: forward > 0 ? signal : 0
        case .deconvnet: max(signal, 0)
        case .guided: forward > 0 ? max(signal, 0) : 0
        }
    }

    /// `pass` for (C, H, W) arrays.
    public func pass(_ signal: [Float], forward: [Float]) -> [Float] {
        precondition(signal.count == forward.count, "signal and forward pass differ in shape")
        return zip(signal, forward).map { pass($0, forward: $1) }
    }
}
