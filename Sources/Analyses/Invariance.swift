import Foundation
import Network

/// Zeiler & Fergus's Fig. 5: how far the representation and the prediction move when a digit is
/// shifted vertically, scaled or rotated. For each digit image and each parameter: the Euclidean
/// distance between the original's and the transformed image's pool1 output (1,176 values) and
/// fc2 output after ReLU (84 values), and the probability of the digit's class.
public struct Invariance: Sendable {
    public enum Transform: String, CaseIterable, Sendable {
        case translation, scale, rotation

        /// Rows (positive: down) −8 … 8; factors 0.6 … 1.4 in steps of 0.05; counterclockwise
        /// degrees 0 … 360 in steps of 10, so the curve ends where it starts.
        public var parameters: [Double] {
            switch self {
            case .translation: (-8...8).map(Double.init)
            case .scale: (12...28).map { Double($0) / 20 }
            case .rotation: Swift.stride(from: 0, through: 360, by: 10).map(Double.init)
            }
        }

        public func transform(_ parameter: Double) -> ImageTransform {
            switch self {
            case .translation: .verticalShift(rows: Int(parameter))
            case .scale: .scale(factor: parameter)
            case .rotation: .rotation(degrees: parameter)
            }
        }

        var unit: String {
            switch self {
            case .translation: "rows moved down (negative: up), zero fill"
            case .scale: "factor about the centre (13.5, 13.5), bilinear, zero fill"
            case .rotation: "degrees counterclockwise about the centre (13.5, 13.5), bilinear, zero fill"
            }
        }
    }

    /// One curve per measure, one value per parameter of the transform.
    public struct Curves: Sendable {
        public let pool1Distance: [Float]
        public let fc2Distance: [Float]
        public let probability: [Float]
        /// The most probable class at each parameter (of equal ones the lowest).
        public let predicted: [Int]
    }

    public struct Digit: Sendable {
        public let image: DigitImage
        public let curves: [Transform: Curves]
    }

    public let digits: [Digit]

    /// One batched pass over every digit's original and all its transformed images.
    public init(model: LeNet5, digits images: [DigitImage], threads: Int = 2) {
        precondition(Set(images.map(\.digit)).count == images.count, "each digit may appear once")
        let transforms = Transform.allCases
        let perDigit = 1 + transforms.reduce(0) { $0 + $1.parameters.count }
        var batch = [Float]()
        batch.reserveCapacity(images.count * perDigit * LeNet5.inputCount)
        for d in images {
            batch += d.image
            for t in transforms { for p in t.parameters { batch += t.transform(p).apply(to: d.image) } }
        }
        let pass = model.activations(images: batch, keeping: [.pool1, .fc2, .logProbabilities], threads: threads)

        func row(_ values: [Float], _ i: Int, width: Int) -> ArraySlice<Float> { values[(i * width)..<((i + 1) * width)] }
        digits = images.enumerated().map { k, d in
            let original = k * perDigit
            var next = original + 1, curves: [Transform: Curves] = [:]
            for t in transforms {
                let rows = next..<(next + t.parameters.count)
                next = rows.upperBound
                curves[t] = Curves(
                    pool1Distance: rows.map { Self.distance(row(pass.pool1, $0, width: LeNet5.pool1.outputCount),
                                                            row(pass.pool1, original, width: LeNet5.pool1.outputCount)) },
                    fc2Distance: rows.map { Self.distance(row(pass.fc2, $0, width: LeNet5.fc2.outFeatures),
                                                          row(pass.fc2, original, width: LeNet5.fc2.outFeatures)) },
                    probability: rows.map { exp(pass.logProbabilities[$0 * LeNet5.classes + d.digit]) },
                    predicted: rows.map { i in
                        let scores = row(pass.logProbabilities, i, width: LeNet5.classes)
                        return scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }! - i * LeNet5.classes
                    })
            }
            return Digit(image: d, curves: curves)
        }
    }

    /// ‖a − b‖, summed in Double.
    static func distance(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        var sum = 0.0
        for (x, y) in zip(a, b) {
            let d = Double(x) - Double(y)
            sum += d * d
        }
        return Float(sum.squareRoot())
    }

    /// `invariance.safetensors`: `{translation|scale|rotation}.parameters` (n) and, per digit,
    /// `digit{d}.{transform}.pool1_distance`, `.fc2_distance` and `.probability` (n each).
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata.merge(digits.map(\.image).metadata) { $1 }
        file.metadata["probability"] = "of the digit's class"
        file.metadata["pool1_distance"] = "Euclidean distance to the original's pool1 output (6, 14, 14)"
        file.metadata["fc2_distance"] = "Euclidean distance to the original's fc2 output after ReLU (84)"
        for t in Transform.allCases {
            file["\(t.rawValue).parameters"] = .init(shape: [t.parameters.count], values: t.parameters.map(Float.init))
            file.metadata["\(t.rawValue).parameters"] = t.unit
        }
        for d in digits {
            for t in Transform.allCases {
                let key = "\(d.image.key).\(t.rawValue)", curves = d.curves[t]!, n = t.parameters.count
                file["\(key).pool1_distance"] = .init(shape: [n], values: curves.pool1Distance)
                file["\(key).fc2_distance"] = .init(shape: [n], values: curves.fc2Distance)
                file["\(key).probability"] = .init(shape: [n], values: curves.probability)
            }
        }
        return file
    }
}
