import Network

public struct DeconvnetError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Picks the test images to reconstruct.
public enum DigitChoice {
    public struct Choice: Sendable, Equatable {
        public let digit: Int
        public let testIndex: Int
        /// False when no image of the digit is classified correctly and this is the closest candidate.
        public let correct: Bool
    }

    /// For each digit, the lowest index whose label is that digit and whose prediction is right.
    /// Where the model gets every image of a digit wrong (a quick or poorly trained model), the
    /// closest candidate instead: the image of that digit to which the model gives the digit's
    /// highest probability (the lowest index on a tie), marked as not correct. `images` returns
    /// the pixels of the given test images.
    public static func choose(digits: [Int], labels: [UInt8], predictions: [UInt8], model: Network,
                              images: ([Int]) -> [Float]) throws(DeconvnetError) -> [Choice] {
        precondition(labels.count == predictions.count, "one prediction per label")
        var choices: [Choice] = []
        for digit in digits {
            guard (0...9).contains(digit) else { throw DeconvnetError(description: "\(digit) is not a digit 0–9") }
            if let index = labels.indices.first(where: { labels[$0] == digit && predictions[$0] == digit }) {
                choices.append(Choice(digit: digit, testIndex: index, correct: true))
                continue
            }
            let candidates = labels.indices.filter { labels[$0] == digit }
            guard !candidates.isEmpty else { throw DeconvnetError(description: "the test set has no image of digit \(digit)") }
            let pass = model.forward(images: images(candidates))
            let score = { (i: Int) in pass.logProbabilities[i * model.classes + digit] }
            let best = candidates.indices.max { score($0) < score($1) || (score($0) == score($1) && $0 > $1) }!
            choices.append(Choice(digit: digit, testIndex: candidates[best], correct: false))
        }
        return choices
    }
}
