/// How a projection passes a ReLU on its way down. The three rules share everything else: each
/// unpools through the max-pool switches and filters with the flipped weights, with no bias.
public enum BackwardRule: String, CaseIterable, Sendable {
    /// Simonyan, Vedaldi & Zisserman (2013): the signal where the forward ReLU's input was
    /// positive, 0 elsewhere; the projection is then the true gradient of the seeded pooled output.
    case gradient
    /// Zeiler & Fergus (2013): the signal rectified, whatever the forward pass did.
    case deconvnet
    /// Springenberg et al. (2015), guided backpropagation: both, so only positive signal that the
    /// forward pass let through survives.
    case guided

    /// Passes an unpooled signal (C, H, W) back through the layer's ReLU. `forward` is the forward
    /// pass's rectified output wherever `signal` can be nonzero, i.e. at the switches (the pooled
    /// maxima unpooled); elsewhere the signal is 0 and the mask does not matter. ReLU's input > 0
    /// exactly where its output is, so `forward > 0` is the mask.
    func pass(_ signal: [Float], forward: [Float]) -> [Float] {
        precondition(signal.count == forward.count, "signal and forward pass differ in shape")
        switch self {
        case .gradient: return zip(signal, forward).map { $1 > 0 ? $0 : 0 }
        case .deconvnet: return DeconvOperations.rectify(signal)
        case .guided: return zip(signal, forward).map { $1 > 0 ? max($0, 0) : 0 }
        }
    }
}
