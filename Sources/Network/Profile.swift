import Dispatch

/// Nanoseconds spent in each stage of a training step, forward and backward, for `report bench`.
public final class Profile: @unchecked Sendable {
    public enum Stage: String, CaseIterable, Sendable {
        case load = "load batch"
        // The convolutions' kernels include their ReLU and max-pooling, both ways.
        case conv1 = "conv1 + ReLU + max-pool", conv2 = "conv2 + ReLU + max-pool"
        case flatten, fc1, relu3, fc2, relu4, fc3
        case logSoftmax = "log_softmax", loss = "nll_loss"
        case update = "sum gradients + optimizer"
    }

    public private(set) var forward = [Stage: UInt64]()
    public private(set) var backward = [Stage: UInt64]()

    public init() {}

    @inline(__always)
    func time(_ stage: Stage, backward isBackward: Bool = false, _ body: () -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        if isBackward { backward[stage, default: 0] += elapsed } else { forward[stage, default: 0] += elapsed }
    }

    /// Adds another profile's times to this one.
    public func merge(_ other: Profile) {
        for (stage, ns) in other.forward { forward[stage, default: 0] += ns }
        for (stage, ns) in other.backward { backward[stage, default: 0] += ns }
    }
}

extension Optional where Wrapped == Profile {
    /// Runs `body`, timing it when there is a profile.
    @inline(__always)
    func time(_ stage: Profile.Stage, backward: Bool = false, _ body: () -> Void) {
        if let profile = self { profile.time(stage, backward: backward, body) } else { body() }
    }
}

package func elapsedSeconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
