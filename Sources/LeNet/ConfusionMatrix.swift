/// How many images of each class got each prediction.
public struct ConfusionMatrix: Sendable, Equatable {
    /// counts[true][predicted].
    public let counts: [[Int]]

    public init(labels: [UInt8], predictions: [UInt8], classes: Int = LeNet5.classes) {
        precondition(labels.count == predictions.count, "one prediction per label")
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (label, prediction) in zip(labels, predictions) { counts[Int(label)][Int(prediction)] += 1 }
        self.counts = counts
    }

    /// The largest off-diagonal cell (the first in row-major order on a tie); nil without errors.
    public var mostFrequentError: (label: Int, predicted: Int, count: Int)? {
        var best: (label: Int, predicted: Int, count: Int)?
        for (label, row) in counts.enumerated() {
            for (predicted, count) in row.enumerated() where predicted != label && count > (best?.count ?? 0) {
                best = (label, predicted, count)
            }
        }
        return best
    }
}
