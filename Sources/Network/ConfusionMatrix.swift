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

    /// Per class: how many images it has and how many of them are predicted right.
    public var perClass: [(total: Int, correct: Int)] {
        counts.enumerated().map { (total: $1.reduce(0, +), correct: $1[$0]) }
    }

    /// The fraction of class c's images predicted right; 0 for a class without images.
    public var classAccuracy: [Double] {
        perClass.map { $0.total == 0 ? 0 : Double($0.correct) / Double($0.total) }
    }

    /// The classes with the lowest and the highest accuracy (of equal ones the lowest class).
    public var hardestClass: Int { classAccuracy.indices.min { classAccuracy[$0] < classAccuracy[$1] }! }
    public var easiestClass: Int {
        classAccuracy.indices.max { classAccuracy[$0] < classAccuracy[$1] || (classAccuracy[$0] == classAccuracy[$1] && $0 > $1) }!
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
