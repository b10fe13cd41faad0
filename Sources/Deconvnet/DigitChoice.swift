public struct DeconvnetError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Picks the test images to reconstruct.
public enum DigitChoice {
    /// For each digit, the lowest index whose label is that digit and whose prediction is right.
    public static func firstCorrect(digits: [Int], labels: [UInt8], predictions: [UInt8]) throws(DeconvnetError) -> [Int] {
        precondition(labels.count == predictions.count, "one prediction per label")
        var indices: [Int] = []
        for digit in digits {
            guard (0...9).contains(digit) else { throw DeconvnetError(description: "\(digit) is not a digit 0–9") }
            guard let index = labels.indices.first(where: { labels[$0] == digit && predictions[$0] == digit }) else {
                let count = labels.count { $0 == digit }
                throw DeconvnetError(description: "no test image of digit \(digit) is classified correctly (\(count) carry that label)")
            }
            indices.append(index)
        }
        return indices
    }
}
