import Foundation
import Analyses
import Deconvnet
import Explorer
import Network
import MNIST

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// MNIST, read once for every fixture.
let mnist = Result { try MNIST.load(from: repository.appendingPathComponent("Data").path) }

/// The explorer page made as the report makes it, from the committed model (LeNet-5, as a
/// `Network`), MNIST's test set and the top-9 ranking computed here, written with its test pages
/// into a temporary folder (`ExplorerTests` under the system's, kept for a look after the run).
struct ExplorerFixture: Sendable {
    /// The report's default `--digits`.
    static let reportDigits = [0, 1, 5, 8]
    static let shared = Result { try ExplorerFixture() }

    let model: LeNet5
    let network: Network
    let modelPath: String
    let page: ExplorerPage
    let html: String
    /// The engine's class for every test image.
    let predictions: [UInt8]
    /// The test indices of the report's digits, chosen as the report chooses them.
    let reportImages: [Int]
    /// The images whose projections the browser computes: the report's digits, then four the model
    /// misclassifies and four others spread over the embedded set.
    let projected: [Int]

    init() throws {
        let test = try mnist.get().test
        modelPath = repository.appendingPathComponent("Report/model.safetensors").path
        model = try LeNet5(checkpoint: Safetensors.read(from: modelPath), path: modelPath)
        network = model.network
        let testImages = test.images(0..<test.count)
        let logProbabilities = network.forward(images: testImages).logProbabilities
        let predictions: [UInt8] = (0..<test.count).map { (i: Int) -> UInt8 in
            let row = logProbabilities[(i * 10)..<(i * 10 + 10)]
            return UInt8(row.indices.max { row[$0] < row[$1] }! - i * 10)
        }
        self.predictions = predictions
        reportImages = try DigitChoice.choose(digits: Self.reportDigits, labels: test.labels, predictions: predictions, model: network,
                                              images: { test.images($0) }).map(\.testIndex)
        let top = TopActivations(network: network, testImages: testImages)
        let topImages = network.convolutionalLayers.map { layer in top.maps(layer).map { $0.map(\.testIndex) } }

        let indices = ExplorerPage.testIndices(labels: test.labels, predictions: predictions, topImages: topImages, reportImages: reportImages)
        page = try ExplorerPage(network: network, images: ExplorerPage.testImages(indices, pixels: test.pixels, labels: test.labels),
                                topImages: topImages, reportImages: reportImages)
        html = try page.html(templates: repository.appendingPathComponent("Templates").path)

        let misclassified = indices.filter { test.labels[$0] != predictions[$0] }.prefix(4)
        let n = indices.count
        let spread: [Int] = [n / 8, n / 3, 2 * n / 3, n - 1].map { indices[$0] }
        var seen = Set<Int>()
        projected = (reportImages + misclassified + spread).filter { seen.insert($0).inserted }
        try Data(html.utf8).write(to: try Self.folder().appendingPathComponent("explorer.html"))
    }

    /// `ExplorerTests` in the system's temporary folder.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ExplorerTests")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `html` with the harness: a script first in `<head>` that records errors, and at the end
    /// of `<body>` the configuration (the test images to project, and whether to do the long
    /// part) and `harness.js`, written as `name` in the fixtures' folder.
    static func harnessPage(html: String, name: String, full: Bool, projected: [Int]) throws -> URL {
        let harness = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("harness.js"),
                                 encoding: .utf8)
        let capture = """
            <script>
            window.harnessErrors = [];
            addEventListener('error', (e) => harnessErrors.push(`error: ${e.message || e.target?.outerHTML || e.type}`), true);
            addEventListener('unhandledrejection', (e) => harnessErrors.push(`unhandled rejection: ${e.reason}`));
            addEventListener('securitypolicyviolation', (e) => harnessErrors.push(`blocked by the page's policy: ${e.violatedDirective} ${e.blockedURI}`));
            </script>
            """
        let config = "<script>window.harnessConfig = { full: \(full), project: \(projected) };</script>"
        guard html.components(separatedBy: "<head>").count == 2, html.components(separatedBy: "</body>").count == 2 else {
            throw ChromiumError("the page must have one <head> and one </body> for the harness to go into")
        }
        let page = html.replacingOccurrences(of: "<head>", with: "<head>\n" + capture)
            .replacingOccurrences(of: "</body>", with: config + "\n<script>\n" + harness + "</script>\n</body>")
        let url = try folder().appendingPathComponent(name)
        try Data(page.utf8).write(to: url)
        return url
    }
}

/// A page for a network that is not LeNet-5, with seeded random parameters and the first test
/// images: `mixed` has a stride-2 convolution whose stride leaves a row and column out, an
/// overlapping max-pool, an average pool, a block with no ReLU or pooling and an input
/// normalisation; `pytorchExample` has the shape of PyTorch's MNIST example network (conv
/// 32@3×3 → ReLU → conv 64@3×3 → ReLU → max-pool 2 → fc 9216→128 → ReLU → fc 10; 96 maps).
struct OtherNetworkFixture: Sendable {
    static let mixed = Result {
        try OtherNetworkFixture(name: "mixed", seed: 25, images: 16, kinds: [
            .convolution(outChannels: 4, kernel: 5, stride: 2, padding: 2), .relu,     // 28 → 14 (27 / 2: one row left out)
            .maxPool(kernel: 3, stride: 2),                                           // 14 → 6, windows overlapping
            .convolution(outChannels: 6, kernel: 3, stride: 1, padding: 1), .relu,     // 6 → 6
            .averagePool(kernel: 2, stride: 2),                                       // 6 → 3
            .convolution(outChannels: 5, kernel: 2, stride: 1, padding: 0),            // 3 → 2, a block of its own
            .flatten, .linear(outFeatures: 16), .relu, .linear(outFeatures: 10),
        ], modelNames: ["features.0", nil, nil, "features.3", nil, nil, "features.6", nil, "classifier.0", nil, "classifier.2"],
           normalization: InputNormalization(mean: 0.1307, std: 0.3081))
    }
    static let pytorchExample = Result {
        try OtherNetworkFixture(name: "pytorch-example", seed: 1, images: 16, kinds: [
            .convolution(outChannels: 32, kernel: 3, stride: 1, padding: 0), .relu,
            .convolution(outChannels: 64, kernel: 3, stride: 1, padding: 0), .relu, .maxPool(kernel: 2, stride: 2),
            .flatten, .linear(outFeatures: 128), .relu, .linear(outFeatures: 10),
        ], modelNames: ["conv1", nil, "conv2", nil, nil, nil, "fc1", nil, "fc2"], normalization: InputNormalization(mean: 0.1307, std: 0.3081))
    }

    let name: String
    let network: Network
    let page: ExplorerPage
    let html: String
    /// Every embedded image's index (the first test images).
    let projected: [Int]

    init(name: String, seed: UInt64, images count: Int, kinds: [Layer.Kind], modelNames: [String?], normalization: InputNormalization?) throws {
        self.name = name
        // Sized by a first network of zeros: the error names how many parameters the layers need.
        let needed: Int
        do {
            _ = try Network(imageHeight: 28, imageWidth: 28, kinds: kinds, modelNames: modelNames, parameters: [])
            needed = 0
        } catch {
            needed = Int(error.description.split(separator: " ").first { Int($0) != nil }.map(String.init) ?? "") ?? 0
        }
        var random = SplitMix64(seed: seed)
        let zeros = try Network(imageHeight: 28, imageWidth: 28, kinds: kinds, modelNames: modelNames,
                                parameters: [Float](repeating: 0, count: needed), normalization: normalization)
        // Each weighted layer's values uniform in ±√(3 / fan-in), biases a tenth of that.
        var parameters = [Float]()
        for (i, layer) in zeros.layers.enumerated() {
            let fanIn: Int, weights: Int
            switch layer {
            case .convolution(let c): (fanIn, weights) = (c.inChannels * c.kernel * c.kernel, c.weightCount)
            case .linear(let l): (fanIn, weights) = (l.inFeatures, l.weightCount)
            default: continue
            }
            let scale = (3 / Float(fanIn)).squareRoot()
            let uniform = { () -> Float in
                let unit: Double = Double(random.next() >> 11) / Double(UInt64(1) << 53)
                return Float(2 * unit - 1)
            }
            parameters += (0..<weights).map { _ in scale * uniform() }
            parameters += (weights..<layer.parameterCount).map { _ in scale / 10 * uniform() }
            precondition(parameters.count == zeros.parameterOffsets[i] + layer.parameterCount)
        }
        network = try Network(imageHeight: 28, imageWidth: 28, kinds: kinds, modelNames: modelNames, parameters: parameters,
                              normalization: normalization)
        let test = try mnist.get().test
        projected = Array(0..<count)
        let images = ExplorerPage.testImages(projected, pixels: test.pixels, labels: test.labels)
        let top = network.convolutionalLayers.map { layer in (0..<layer.maps).map { [$0 % count, ($0 + 1) % count] } }
        page = try ExplorerPage(network: network, images: images, topImages: top, reportImages: [0])
        html = try page.html(templates: repository.appendingPathComponent("Templates").path)
        try Data(html.utf8).write(to: try ExplorerFixture.folder().appendingPathComponent("explorer-\(name).html"))
    }
}
