import Foundation
import Analyses
import Deconvnet
import Explorer
import Network
import MNIST

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The explorer page made as the report makes it, from the committed model, MNIST's test set and
/// the top-9 ranking computed here, written with its test pages into a temporary folder
/// (`ExplorerTests` under the system's, kept for a look after the run).
struct ExplorerFixture: Sendable {
    /// The report's default `--digits`.
    static let reportDigits = [0, 1, 5, 8]
    static let shared = Result { try ExplorerFixture() }

    let model: LeNet5
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
    let folder: URL

    init() throws {
        let mnist = try MNIST.load(from: repository.appendingPathComponent("Data").path)
        modelPath = repository.appendingPathComponent("Report/model.safetensors").path
        model = try LeNet5(checkpoint: Safetensors.read(from: modelPath), path: modelPath)
        let test = mnist.test, testImages = test.images(0..<test.count)
        let logProbabilities = model.activations(images: testImages, keeping: .logProbabilities).logProbabilities
        let predictions: [UInt8] = (0..<test.count).map { (i: Int) -> UInt8 in
            let row = logProbabilities[(i * 10)..<(i * 10 + 10)]
            return UInt8(row.indices.max { row[$0] < row[$1] }! - i * 10)
        }
        self.predictions = predictions
        reportImages = try DigitChoice.choose(digits: Self.reportDigits, labels: test.labels, predictions: predictions, model: model,
                                              images: { test.images($0) }).map(\.testIndex)
        let top = TopActivations(model: model, testImages: testImages)
        let topImages = ConvLayer.allCases.flatMap { layer in top.maps(layer).map { $0.map(\.testIndex) } }

        let indices = ExplorerPage.testIndices(labels: test.labels, predictions: predictions, topImages: topImages, reportImages: reportImages)
        page = try ExplorerPage(model: model, images: ExplorerPage.testImages(indices, pixels: test.pixels, labels: test.labels),
                                topImages: topImages, reportImages: reportImages)
        html = try page.html(templates: repository.appendingPathComponent("Templates").path)

        let misclassified = indices.filter { test.labels[$0] != predictions[$0] }.prefix(4)
        let n = indices.count
        let spread: [Int] = [n / 8, n / 3, 2 * n / 3, n - 1].map { indices[$0] }
        var seen = Set<Int>()
        projected = (reportImages + misclassified + spread).filter { seen.insert($0).inserted }

        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ExplorerTests")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(html.utf8).write(to: folder.appendingPathComponent("explorer.html"))
    }

    /// The page with the harness: a script first in `<head>` that records errors, and at the end
    /// of `<body>` the configuration and `harness.js`.
    func harnessPage(name: String, full: Bool) throws -> URL {
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
        let url = folder.appendingPathComponent(name)
        try Data(page.utf8).write(to: url)
        return url
    }
}
