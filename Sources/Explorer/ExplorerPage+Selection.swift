import Network

extension ExplorerPage {
    /// How many of the first test images are embedded whatever else is.
    public static let firstImages = 1_000

    /// Which test images to embed, in increasing index: the first `first` (about a hundred of each
    /// digit, an unbiased sample to browse), every one the model misclassifies (the interesting
    /// cases, about 80 at 99 % accuracy), every top image of every map of every convolutional
    /// layer (`topImages`, by layer, then map; shown beside it), and the report's own digits.
    /// `predictions` are the model's classes for the whole test set.
    public static func testIndices(labels: [UInt8], predictions: [UInt8], topImages: [[[Int]]], reportImages: [Int],
                                   first: Int = firstImages) -> [Int] {
        precondition(labels.count == predictions.count, "one prediction per label")
        let misclassified = labels.indices.filter { labels[$0] != predictions[$0] }
        let chosen = Set(Array(0..<min(first, labels.count)) + misclassified + topImages.joined().joined() + reportImages)
        return chosen.sorted()
    }

    /// The test images at `indices` of a test set stored as `pixels` (the same number of bytes
    /// for every image, 784 for MNIST) and `labels`.
    public static func testImages(_ indices: [Int], pixels: [UInt8], labels: [UInt8]) -> [TestImage] {
        precondition(!labels.isEmpty && pixels.count % labels.count == 0, "the same number of bytes for every label")
        let side = pixels.count / labels.count
        return indices.map { TestImage(index: $0, label: Int(labels[$0]), pixels: Array(pixels[($0 * side)..<(($0 + 1) * side)])) }
    }
}
