import Foundation
import Network

/// Zeiler & Fergus's Fig. 5: how far the representation and the prediction move when a digit is
/// shifted vertically, scaled or rotated. For each digit image and each parameter: the Euclidean
/// distance between the original's and the transformed image's representation low in the network
/// (the first convolutional block's output: LeNet-5's pool1, 1,176 values) and high in it (the
/// last hidden linear layer's output after its ReLU: LeNet-5's fc2, 84 values; the last
/// convolutional block's when the network has a single linear layer), and the probability of the
/// digit's class. Each distance is also divided by its layer's `Baseline`, the mean distance
/// between unrelated test images, so that the two layers can be compared.
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

        /// Whether `parameter` leaves the image as it is: no shift, factor 1, a whole number of turns.
        func isIdentity(_ parameter: Double) -> Bool {
            switch self {
            case .translation: parameter == 0
            case .scale: parameter == 1
            case .rotation: parameter.truncatingRemainder(dividingBy: 360) == 0
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
        /// To the original's first convolutional block output.
        public let lowDistance: [Float]
        /// To the original's last hidden layer output (`Invariance.highLayer`).
        public let highDistance: [Float]
        /// The distances divided by their layer's baseline: 1 is as far as an unrelated image.
        public let lowNormalised: [Float], highNormalised: [Float]
        public let probability: [Float]
        /// The most probable class at each parameter (of equal ones the lowest).
        public let predicted: [Int]
    }

    public struct Digit: Sendable {
        public let image: DigitImage
        public let curves: [Transform: Curves]
    }

    public let digits: [Digit]
    /// The display names of the layers measured: the first convolutional layer (`conv1`, whose
    /// block output is measured) and the last hidden linear layer (`fc2` for LeNet-5), or the
    /// last convolutional layer when the network has a single linear layer.
    public let lowLayer: String, highLayer: String
    /// How many values each distance is over.
    public let lowSize: Int, highSize: Int
    /// The shapes of the two outputs, for the export's metadata.
    let lowShape: [Int], highShape: [Int]
    /// Whether the high layer's output is after a ReLU.
    let highRectified: Bool
    public let baseline: Baseline

    /// One batched pass over every digit's original and all its transformed images, and one over
    /// the baseline's pairs of `testImages` (at least two, from the test set's first on, so that
    /// the pairs' indices are test indices).
    public init(network: Network, digits images: [DigitImage], testImages: [Float], threads: Int = 2) {
        precondition(Set(images.map(\.digit)).count == images.count, "each digit may appear once")
        let first = network.convolutionalLayers.first!, last = network.convolutionalLayers.last!
        let low = first.outputLayer, high = network.lastHiddenLayer ?? last.outputLayer
        let names = network.displayNames
        lowLayer = first.name
        if network.lastHiddenLayer != nil {
            let linear = (0...high).last { if case .linear = network.layers[$0] { true } else { false } }!
            highLayer = names[linear]
            highRectified = linear != high
        } else {
            highLayer = last.name
            highRectified = true
        }
        lowShape = network.outputShapes[low]
        highShape = network.outputShapes[high]
        lowSize = lowShape.reduce(1, *)
        highSize = highShape.reduce(1, *)
        let transforms = Transform.allCases
        let perDigit = 1 + transforms.reduce(0) { $0 + $1.parameters.count }
        var batch = [Float]()
        batch.reserveCapacity(images.count * perDigit * network.inputCount)
        for d in images {
            precondition(d.image.count == network.inputCount, "an image is \(network.inputCount) floats")
            batch += d.image
            for t in transforms { for p in t.parameters { batch += t.transform(p).apply(to: d.image, width: network.imageWidth) } }
        }
        let pass = network.forward(images: batch, keeping: [low, high], threads: threads)
        let (lowOutput, highOutput) = (pass.outputs[low]!, pass.outputs[high]!)
        let classes = network.classes
        let (lowSize, highSize) = (self.lowSize, self.highSize)
        let baseline = Baseline(network: network, testImages: testImages, low: low, high: high, threads: threads)
        self.baseline = baseline

        func row(_ values: [Float], _ i: Int, width: Int) -> ArraySlice<Float> { values[(i * width)..<((i + 1) * width)] }
        digits = images.enumerated().map { k, d in
            let original = k * perDigit
            var next = original + 1, curves: [Transform: Curves] = [:]
            for t in transforms {
                let rows = next..<(next + t.parameters.count)
                next = rows.upperBound
                func distances(_ output: [Float], width: Int) -> [Float] {
                    rows.map { Self.distance(row(output, $0, width: width), row(output, original, width: width)) }
                }
                let (lowDistance, highDistance) = (distances(lowOutput, width: lowSize), distances(highOutput, width: highSize))
                curves[t] = Curves(
                    lowDistance: lowDistance, highDistance: highDistance,
                    lowNormalised: lowDistance.map { $0 / baseline.low }, highNormalised: highDistance.map { $0 / baseline.high },
                    probability: rows.map { exp(pass.logProbabilities[$0 * classes + d.digit]) },
                    predicted: rows.map { i in
                        let scores = row(pass.logProbabilities, i, width: classes)
                        return scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }! - i * classes
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

    /// `invariance.safetensors`: `{translation|scale|rotation}.parameters` (n); per digit
    /// `digit{d}.{transform}.low_distance`, `.high_distance`, `.low_normalised`, `.high_normalised`
    /// and `.probability` (n each); the baseline's `baseline.pairs` (pairs, 2), `.low_distance` and
    /// `.high_distance` (pairs) and their means `baseline.low` and `baseline.high` (1); the metadata
    /// names the layers (`low_layer`, `high_layer`).
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata.merge(digits.map(\.image).metadata) { $1 }
        file.metadata["probability"] = "of the digit's class"
        let shape = { (s: [Int]) in "(" + s.map(String.init).joined(separator: ", ") + ")" }
        file.metadata["low_layer"] = lowLayer
        file.metadata["high_layer"] = highLayer
        file.metadata["low_distance"] = "Euclidean distance to the original's \(lowLayer) block output \(shape(lowShape))"
        file.metadata["high_distance"] = "Euclidean distance to the original's \(highLayer) output" + (highRectified ? " after ReLU " : " ")
            + shape(highShape)
        file.metadata["baseline"] = "mean Euclidean distance between the layer's outputs for \(Baseline.pairCount) pairs of distinct "
            + "test images (baseline.pairs, test indices) drawn with SplitMix64(\(Baseline.seed))"
        file.metadata["normalised"] = "distance / the layer's baseline (baseline.low or baseline.high): 1 is as far as an unrelated image"
        file["baseline.pairs"] = .init(shape: [baseline.pairs.count, 2], integers: baseline.pairs.flatMap { [Int64($0.0), Int64($0.1)] })
        file["baseline.low_distance"] = .init(shape: [baseline.pairs.count], values: baseline.lowDistances)
        file["baseline.high_distance"] = .init(shape: [baseline.pairs.count], values: baseline.highDistances)
        file["baseline.low"] = .init(shape: [1], values: [baseline.low])
        file["baseline.high"] = .init(shape: [1], values: [baseline.high])
        for t in Transform.allCases {
            file["\(t.rawValue).parameters"] = .init(shape: [t.parameters.count], values: t.parameters.map(Float.init))
            file.metadata["\(t.rawValue).parameters"] = t.unit
        }
        for d in digits {
            for t in Transform.allCases {
                let key = "\(d.image.key).\(t.rawValue)", curves = d.curves[t]!, n = t.parameters.count
                file["\(key).low_distance"] = .init(shape: [n], values: curves.lowDistance)
                file["\(key).high_distance"] = .init(shape: [n], values: curves.highDistance)
                file["\(key).low_normalised"] = .init(shape: [n], values: curves.lowNormalised)
                file["\(key).high_normalised"] = .init(shape: [n], values: curves.highNormalised)
                file["\(key).probability"] = .init(shape: [n], values: curves.probability)
            }
        }
        return file
    }
}
