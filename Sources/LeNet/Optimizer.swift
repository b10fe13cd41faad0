import Foundation

public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
    case adam, sgd
}

/// How the learning rate changes over a run.
public enum LearningRateSchedule: String, CaseIterable, Sendable, Codable {
    /// The same rate for every step.
    case constant
    /// From the full rate down to 0 along half a cosine period over all steps of the run.
    case cosine

    /// The rate for step `step` (0-based) of `steps`.
    public func rate(_ base: Float, step: Int, of steps: Int) -> Float {
        switch self {
        case .constant: base
        case .cosine: base * 0.5 * (1 + Float(cos(Double.pi * Double(step) / Double(max(steps, 1)))))
        }
    }
}

/// Adam or SGD with momentum over the flat parameter block, with PyTorch's update rules and
/// defaults (Adam: β = (0.9, 0.999), ε = 1e-8; SGD: momentum 0.9, no dampening).
final class Optimizer {
    let kind: OptimizerKind
    let momentum: Float = 0.9
    let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    private let first: Buffer<Float>
    private let second: Buffer<Float>
    private var steps = 0

    init(_ kind: OptimizerKind, count: Int) {
        self.kind = kind
        first = Buffer(count: count)
        second = Buffer(count: kind == .adam ? count : 0)
    }

    /// One step over all parameters.
    func step(_ parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, learningRate: Float) {
        update(parameters, gradient: gradient, learningRate: learningRate, range: 0..<first.count)
        finishStep()
    }

    /// Updates `range` of the parameters, so that threads can share a step; `finishStep` ends it
    /// once every range is done (Adam's bias correction counts steps).
    func update(_ parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, learningRate: Float, range: Range<Int>) {
        let m = first.pointer
        switch kind {
        case .sgd:
            for i in range {
                m[i] = momentum * m[i] + gradient[i]
                parameters[i] -= learningRate * m[i]
            }
        case .adam:
            let v = second.pointer
            let t = Float(steps + 1)
            let correction1 = 1 - pow(beta1, t), correction2 = 1 - pow(beta2, t)
            let stepSize = learningRate / correction1, root2 = correction2.squareRoot()
            for i in range {
                let g = gradient[i]
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                parameters[i] -= stepSize * m[i] / (v[i].squareRoot() / root2 + epsilon)
            }
        }
    }

    func finishStep() { steps += 1 }
}
