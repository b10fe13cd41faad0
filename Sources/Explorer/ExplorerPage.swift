import Network

/// `explorer.html`: one offline page that carries a network and a set of test images and computes,
/// in plain JavaScript (`network.js`), the forward pass and the three backward rules for any of
/// them or for a digit the reader draws. Its HTML, scripts and style are read from `explorer/` in
/// the templates folder; this type checks the inputs and embeds the data.
public struct ExplorerPage: Sendable {
    /// One embedded test image.
    public struct TestImage: Sendable, Equatable {
        /// Its index in the MNIST test set.
        public let index: Int
        public let label: Int
        /// Row-major bytes, as stored in MNIST (the network sees byte / 255).
        public let pixels: [UInt8]

        public init(index: Int, label: Int, pixels: [UInt8]) {
            self.index = index
            self.label = label
            self.pixels = pixels
        }
    }

    /// Any chain network: LeNet-5 (`LeNet5.network`) or one read from a model file.
    public let network: Network
    /// What the page calls it: "LeNet-5" for LeNet-5, "the network" otherwise, unless given.
    public let title: String
    /// In increasing test index.
    public let images: [TestImage]
    /// For each convolutional layer by depth, for each of its maps, the test indices of the images
    /// that excite it most, best first, as the report's top-9 analysis ranks them.
    public let topImages: [[[Int]]]
    /// The test indices of the report's own digits, offered first.
    public let reportImages: [Int]

    /// Checks that every image has the network's input size and a label among its classes, that
    /// the indices are distinct, that top images are given for every map of every convolutional
    /// layer, and that every top and report image is among `images` (which are sorted by index).
    public init(network: Network, title: String? = nil, images: [TestImage], topImages: [[[Int]]],
                reportImages: [Int]) throws(ExplorerError) {
        guard !images.isEmpty else { throw ExplorerError("the explorer needs at least one test image") }
        if let bad = images.first(where: { $0.pixels.count != network.inputCount }) {
            throw ExplorerError("test image \(bad.index) has \(bad.pixels.count) pixels, not \(network.inputCount)")
        }
        if let bad = images.first(where: { !(0..<network.classes).contains($0.label) }) {
            throw ExplorerError("test image \(bad.index) has label \(bad.label), not a class 0–\(network.classes - 1)")
        }
        let sorted = images.sorted { $0.index < $1.index }
        if let repeated = zip(sorted, sorted.dropFirst()).first(where: { $0.index == $1.index }) {
            throw ExplorerError("test image \(repeated.0.index) is given twice")
        }
        let layers = network.convolutionalLayers
        guard topImages.count == layers.count else {
            throw ExplorerError("top images are given for \(topImages.count) convolutional layers, not \(layers.count)")
        }
        if let (layer, maps) = zip(layers, topImages).first(where: { $0.maps != $1.count }) {
            throw ExplorerError("top images are given for \(maps.count) maps of \(layer.name), not \(layer.maps)")
        }
        let embedded = Set(sorted.map(\.index))
        if let missing = (topImages.joined().joined() + reportImages).first(where: { !embedded.contains($0) }) {
            throw ExplorerError("test image \(missing) is shown as a top or report image but is not among the embedded images")
        }
        self.network = network
        self.title = title ?? (network.isLeNet5 ? "LeNet-5" : "the network")
        self.images = sorted
        self.topImages = topImages
        self.reportImages = reportImages
    }

    /// The page, from `explorer/` in `templates`, with the network and images embedded.
    public func html(templates: String) throws(ExplorerError) -> String {
        try ExplorerTemplate(folder: templates).fill(data: embeddedJSON())
    }
}
