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

    /// One step over all parameters. Plain loops, which the compiler vectorises (with
    /// `-fno-math-errno`, see Package.swift); `squareRoot()` of a SIMD8 would run lane by lane.
    ///
    /// A moment that decays below the smallest normal float (that of a weight whose gradient stays
    /// 0) becomes 0 instead of subnormal: an operation on a subnormal operand takes a slow path of
    /// over a hundred cycles on Intel processors, and such moments then stayed subnormal for good
    /// (0.9 times the smallest subnormal rounds back to it), which made the optimizer step five
    /// times slower from the middle of the first epoch on. It changes no weight: the step such a
    /// moment would give is below 1e-31, which rounds away against any weight above 1e-24.
    func step(_ parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, learningRate: Float) {
        let m = first.pointer, count = first.count
        steps += 1
        switch kind {
        case .sgd:
            for i in 0..<count {
                m[i] = flushingSubnormal(momentum * m[i] + gradient[i])
                parameters[i] -= learningRate * m[i]
            }
        case .adam:
            let v = second.pointer, t = Float(steps)
            let stepSize = learningRate / (1 - pow(beta1, t)), root2 = (1 - pow(beta2, t)).squareRoot()
            for i in 0..<count {
                let g = gradient[i]
                m[i] = flushingSubnormal(beta1 * m[i] + (1 - beta1) * g)
                v[i] = flushingSubnormal(beta2 * v[i] + (1 - beta2) * g * g)
                parameters[i] -= stepSize * m[i] / (v[i].squareRoot() / root2 + epsilon)
            }
        }
    }
}

/// x, or 0 when x is subnormal (a select, which vectorises).
@inline(__always)
private func flushingSubnormal(_ x: Float) -> Float { abs(x) < .leastNormalMagnitude ? 0 : x }
