import Foundation

/// One run of the harness page in headless Chromium, and what the harness wrote into the page.
struct BrowserRun: Sendable {
    struct Drawing: Decodable, Sendable {
        let before: Int, after: Int, computed: Int
        let beforeSource: String, afterSource: String
        let ink: Double, inkAfterUndo: Double
    }

    struct Timing: Decodable, Sendable {
        /// Medians over 15 page updates: the forward pass, every map's projection, and the whole
        /// update with its painting; then a call of project() for every map, each with its own
        /// forward pass. `fastestMs`: the fastest update's forward pass and projections together.
        let forwardMs: Double, projectionsMs: Double, updateMs: Double, apiCallsMs: Double
        let fastestMs: Double, maps: Int
    }

    struct Layout: Decodable, Sendable {
        let innerWidth: Double, scrollWidth: Double
    }

    struct Tooltip: Decodable, Sendable {
        let text: String
        let value: Double
    }

    struct Misclassified: Decodable, Sendable {
        /// How long ticking “misclassified only” took before the background classification ran
        /// (the longest a reader can wait for it), and the input it showed.
        let ms: Double
        let source: String
    }

    struct AttributionTiming: Decodable, Sendable {
        /// One call of attribute() on the drawn digit (the median of three for the quick
        /// methods); `scaled`: run with fewer passes and scaled up by the passes left out.
        let ms: Double
        let scaled: Bool
    }

    /// Section 2 once the page computed what it computes by itself for its input.
    struct Attributions: Decodable, Sendable {
        /// The class it explains, and the one predict() gives for its input.
        let target: Int, predicted: Int
        /// The methods computed; the cards in order; those still faded; those waiting for a click.
        let methods: [String], cards: [String], stale: [String], held: [String]
        /// Between what the page shows and what attribute() gives for the same input.
        let largestDifference: Double
        let heading: String, completeness: String, status: String
    }

    struct Findings: Decodable, Sendable {
        let errors: [String]
        let readyMs: Double?
        let count: Int?
        let classes: Int?
        /// reportExplorer.layers' names.
        let layers: [String]?
        let indices: [Int]?, labels: [Int]?
        /// base64 of little-endian F32: (count, classes), (images, 2 modes, 3 rules, every map, pixels)
        /// and (images, pixels), the gradient of log p(label).
        let probabilities: String?, projections: String?, gradients: String?
        /// base64 of little-endian F32: (images, guided_backprop / deconvnet / gradient_x_input, pixels)
        /// of log p(label), from attribute().
        let classRules: String?
        let attributionTiming: [String: AttributionTiming]?
        let attributions: Attributions?
        let drawing: Drawing?
        let timing: Timing?
        let detailHeading: String?
        let topImages: Int?
        /// The input's description after clicking the selected map's first top image.
        let topImageSource: String?
        /// The tooltip over row 10, column 14 of the input, and the input's value there.
        let tooltip: Tooltip?
        let misclassified: Misclassified?
        let layout: Layout?
        let resources: [String]?
    }

    static let phone = Result { try BrowserRun(page: ExplorerFixture.shared.get(), width: 390, full: true) }
    static let desktop = Result { try BrowserRun(page: ExplorerFixture.shared.get(), width: 1280, full: false) }
    /// The page of a network with strided, overlapping and average pooling, at a phone's width.
    static let mixed = Result { try BrowserRun(page: OtherNetworkFixture.mixed.get(), width: 390, full: true) }
    /// The page of PyTorch's example network, 96 maps, at a desktop's width: the timing.
    static let pytorchExample = Result { try BrowserRun(page: OtherNetworkFixture.pytorchExample.get(), width: 1280, full: false) }

    let width: Int
    let findings: Findings
    /// Every console message of the page, from Chromium's log.
    let console: [String]

    init(page fixture: ExplorerFixture, width: Int, full: Bool) throws {
        try self.init(html: fixture.html, name: "lenet5-\(width)", width: width, full: full, projected: fixture.projected)
    }

    init(page fixture: OtherNetworkFixture, width: Int, full: Bool) throws {
        try self.init(html: fixture.html, name: "\(fixture.name)-\(width)", width: width, full: full, projected: fixture.projected)
    }

    /// Runs the harness on `html` in a frame `width` wide: headless Chromium's windows are at
    /// least 500 px wide, and a frame is a window of its own for the page's layout and media queries.
    init(html: String, name: String, width: Int, full: Bool, projected: [Int]) throws {
        let page = try ExplorerFixture.harnessPage(html: html, name: "harness-\(name).html", full: full, projected: projected)
        let frame = try ExplorerFixture.folder().appendingPathComponent("frame-\(name).html")
        try Data("""
            <!DOCTYPE html>
            <html><body style="margin: 0">
            <iframe src="\(page.lastPathComponent)" style="width: \(width)px; height: 1000px; border: 0"></iframe>
            <script>
            addEventListener('message', (event) => {
              const out = document.createElement('pre');
              out.id = 'harness-result';
              out.textContent = event.data;
              document.body.append(out);
            });
            </script>
            </body></html>
            """.utf8).write(to: frame)
        // Virtual time runs only while the page is idle, so the budget does not cut the harness short.
        let (output, log) = try Chromium.run(frame, width: max(width, 500) + 20, extra: ["--dump-dom", "--virtual-time-budget=120000"])
        guard let start = output.range(of: "<pre id=\"harness-result\">"),
              let end = output[start.upperBound...].range(of: "</pre>") else {
            throw ChromiumError("the harness wrote no result at \(width) px; console: \(Chromium.consoleMessages(in: log).joined(separator: " | "))")
        }
        guard let json = Data(base64Encoded: String(output[start.upperBound..<end.lowerBound])) else {
            throw ChromiumError("the harness's result is not base64")
        }
        self.width = width
        findings = try JSONDecoder().decode(Findings.self, from: json)
        console = Chromium.consoleMessages(in: log)
    }

    /// Little-endian F32 values from base64.
    static func floats(_ base64: String?) throws -> [Float] {
        guard let base64, let data = Data(base64Encoded: base64), data.count % 4 == 0 else { throw ChromiumError("no F32 data from the harness") }
        return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
    }
}
