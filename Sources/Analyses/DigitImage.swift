import Network

/// One of the report's digit images: a test image labelled `digit` (the first correctly
/// classified one, as `DigitChoice` picks them), as the network sees it.
public struct DigitImage: Sendable {
    public let digit: Int
    public let testIndex: Int
    /// The network's input size in floats (784 for 28 × 28), pixel / 255.
    public let image: [Float]

    public init(digit: Int, testIndex: Int, image: [Float]) {
        precondition((0...9).contains(digit), "\(digit) is not a digit 0–9")
        precondition(!image.isEmpty, "an image has pixels")
        self.digit = digit
        self.testIndex = testIndex
        self.image = image
    }

    var key: String { "digit\(digit)" }
}

extension [DigitImage] {
    /// Metadata naming the digits and their test indices; each digit may appear once, as its
    /// tensors' keys are named after it.
    var metadata: [String: String] {
        precondition(Set(map(\.digit)).count == count, "each digit may appear once")
        var metadata = ["digits": map { "\($0.digit)" }.joined(separator: ",")]
        for d in self { metadata["\(d.key).test_index"] = "\(d.testIndex)" }
        return metadata
    }

    /// All images one after another, for a batched pass.
    var images: [Float] { flatMap(\.image) }
}
