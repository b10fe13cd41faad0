import Network

/// `explorer.html`: one offline page that carries the model and a set of test images and computes,
/// in plain JavaScript, the forward pass and the three backward rules for any of them or for a
/// digit the reader draws. Its HTML, script and style are read from `explorer/` in the templates
/// folder; this type checks the inputs and embeds the data.
public struct ExplorerPage: Sendable {
    /// One embedded test image.
    public struct TestImage: Sendable, Equatable {
        /// Its index in the MNIST test set.
        public let index: Int
        public let label: Int
        /// 784 bytes, row-major 28 × 28, as stored in MNIST (the network sees byte / 255).
        public let pixels: [UInt8]

        public init(index: Int, label: Int, pixels: [UInt8]) {
            self.index = index
            self.label = label
            self.pixels = pixels
        }
    }

    public let model: LeNet5
    /// In increasing test index.
    public let images: [TestImage]
    /// For each of the 22 maps (conv1's 0–5, then conv2's 0–15), the test indices of the images
    /// that excite it most, best first, as the report's top-9 analysis ranks them.
    public let topImages: [[Int]]
    /// The test indices of the report's own digits, offered first.
    public let reportImages: [Int]

    /// Checks that every image is 28 × 28 with a label 0–9, that the indices are distinct, and
    /// that every top and report image is among `images` (which are sorted by index).
    public init(model: LeNet5, images: [TestImage], topImages: [[Int]], reportImages: [Int]) throws(ExplorerError) {
        let maps = LeNet5.conv1.outChannels + LeNet5.conv2.outChannels
        guard !images.isEmpty else { throw ExplorerError("the explorer needs at least one test image") }
        if let bad = images.first(where: { $0.pixels.count != LeNet5.inputCount }) {
            throw ExplorerError("test image \(bad.index) has \(bad.pixels.count) pixels, not \(LeNet5.inputCount)")
        }
        if let bad = images.first(where: { !(0..<LeNet5.classes).contains($0.label) }) {
            throw ExplorerError("test image \(bad.index) has label \(bad.label), not a digit 0–9")
        }
        let sorted = images.sorted { $0.index < $1.index }
        if let repeated = zip(sorted, sorted.dropFirst()).first(where: { $0.index == $1.index }) {
            throw ExplorerError("test image \(repeated.0.index) is given twice")
        }
        guard topImages.count == maps else { throw ExplorerError("top images are given for \(topImages.count) maps, not \(maps)") }
        let embedded = Set(sorted.map(\.index))
        if let missing = (topImages.joined() + reportImages).first(where: { !embedded.contains($0) }) {
            throw ExplorerError("test image \(missing) is shown as a top or report image but is not among the embedded images")
        }
        self.model = model
        self.images = sorted
        self.topImages = topImages
        self.reportImages = reportImages
    }

    /// The page, from `explorer/` in `templates`, with the model and images embedded.
    public func html(templates: String) throws(ExplorerError) -> String {
        try ExplorerTemplate(folder: templates).fill(data: embeddedJSON())
    }
}
