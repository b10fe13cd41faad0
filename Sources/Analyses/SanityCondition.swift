/// The four models a sanity check projects through; the raw values are the export keys.
public enum SanityCondition: String, CaseIterable, Sendable {
    /// The report's model.
    case trained
    /// conv2's weights and bias redrawn, everything else trained; the forward pass, and with it
    /// the switches, masks and seeds, recomputed.
    case randomConv2 = "random_conv2"
    /// conv1's and conv2's weights and biases redrawn; the forward pass recomputed.
    case randomConv1Conv2 = "random_conv1_conv2"
    /// The trained model's forward pass (its seeds, switches and ReLU masks), projected down with
    /// the redrawn conv1 and conv2 filters: what the switches alone contribute.
    case switchesOnly = "switches_only"

    /// The conditions compared with `trained`.
    public static let randomised: [SanityCondition] = [.randomConv2, .randomConv1Conv2, .switchesOnly]
}
