import Foundation
import Testing
import Explorer
import Network

/// The page's making, without a browser: what it embeds, which images, and its errors.
@Suite struct ExplorerPageTests {
    static let templates = repository.appendingPathComponent("Templates").path

    /// An untrained model and three images of seeded bytes; every map's top image is the first.
    static func smallPage() throws -> ExplorerPage {
        var random = SplitMix64(seed: 18)
        let images = [4, 17, 9_999].map { index in
            ExplorerPage.TestImage(index: index, label: index % 10, pixels: (0..<784).map { _ in UInt8(random.next() % 256) })
        }
        return try ExplorerPage(model: LeNet5(seed: 3), images: images, topImages: Array(repeating: [17, 4], count: 22), reportImages: [9_999])
    }

    /// The JSON in the page's data element.
    static func embedded(_ html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"explorer-data\">"))
        let end = try #require(html[start.upperBound...].range(of: "</script>"))
        let object = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
        return try #require(object as? [String: Any])
    }

    static func bytes(_ tensor: Any?) throws -> (dtype: String, shape: [Int], bytes: [UInt8]) {
        let tensor = try #require(tensor as? [String: Any])
        let text = try #require(tensor["data"] as? String), dtype = try #require(tensor["dtype"] as? String)
        let shape = try #require(tensor["shape"] as? [Int]), data = try #require(Data(base64Encoded: text))
        return (dtype, shape, [UInt8](data))
    }

    @Test func theDataHoldsTheModelAndTheImagesBitForBit() throws {
        let page = try Self.smallPage()
        let data = try Self.embedded(try page.html(templates: Self.templates))
        let model = try #require(data["model"] as? [String: Any])
        #expect(Set(model.keys) == Set(LeNet5.Parameter.allCases.map(\.name)))
        for parameter in LeNet5.Parameter.allCases {
            let (dtype, shape, bytes) = try Self.bytes(model[parameter.name])
            let floats = (0..<(bytes.count / 4)).map { i in
                Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 * i + $1]) << (8 * $1) })
            }
            #expect(dtype == "F32" && shape == parameter.shape)
            #expect(floats.map(\.bitPattern) == page.model[parameter].map(\.bitPattern), "\(parameter.name) little-endian, bit for bit")
        }
        let images = try #require(data["images"] as? [String: Any])
        #expect(images["indices"] as? [Int] == [4, 17, 9_999])
        #expect(images["labels"] as? [Int] == [4, 7, 9])
        let pixels = try Self.bytes(images["pixels"])
        #expect(pixels.dtype == "U8" && pixels.shape == [3, 28, 28] && pixels.bytes == page.images.flatMap(\.pixels))
        #expect(data["top"] as? [[Int]] == Array(repeating: [17, 4], count: 22))
        #expect(data["report"] as? [Int] == [9_999])
    }

    @Test func theSameInputsGiveTheSamePage() throws {
        let page = try Self.smallPage()
        #expect(try page.html(templates: Self.templates) == page.html(templates: Self.templates))
    }

    @Test func thePageLoadsNothing() throws {
        let html = try Self.smallPage().html(templates: Self.templates)
        #expect(html.contains("default-src 'none'"), "the page's policy forbids every request")
        for scheme in ["http:", "https:", "//fonts", "src=\""] { #expect(!html.contains(scheme), "the page names no \(scheme)") }
    }

    @Test func theSelectionHoldsTheFirstImagesEveryMisclassifiedTopAndReportImage() {
        let labels = (0..<10_000).map { UInt8($0 % 10) }
        var predictions = labels
        for wrong in [5, 1_500, 9_998] { predictions[wrong] = (labels[wrong] + 1) % 10 }
        let top = (0..<22).map { [2_000 + $0, 3] }
        let chosen = ExplorerPage.testIndices(labels: labels, predictions: predictions, topImages: top, reportImages: [7_777, 2])
        #expect(chosen == Array(0..<1_000) + [1_500] + (2_000..<2_022) + [7_777, 9_998])
    }

    @Test func aMissingTemplateFileIsOneLineNamingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let explorer = folder.appendingPathComponent("explorer")
        try FileManager.default.createDirectory(at: explorer, withIntermediateDirectories: true)
        for name in ["explorer.html", "explorer.css"] {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.templates).appendingPathComponent("explorer/\(name)"),
                                             to: explorer.appendingPathComponent(name))
        }
        let page = try Self.smallPage()
        let error = #expect(throws: ExplorerError.self) { try page.html(templates: folder.path) }
        #expect(error?.description.contains("explorer/explorer.js") == true && error?.description.contains("\n") == false, "\(error?.description ?? "")")

        try "<html><body>{{explorer.js}}</body></html>".write(to: explorer.appendingPathComponent("explorer.html"), atomically: true, encoding: .utf8)
        try "let a = 1;".write(to: explorer.appendingPathComponent("explorer.js"), atomically: true, encoding: .utf8)
        let missingTag = #expect(throws: ExplorerError.self) { try page.html(templates: folder.path) }
        #expect(missingTag?.description.contains("{{explorer.css}} must appear once, found 0 times") == true, "\(missingTag?.description ?? "")")
    }

    @Test func badInputsAreOneLineErrors() throws {
        let model = LeNet5(seed: 1), image = { (index: Int) in ExplorerPage.TestImage(index: index, label: 1, pixels: Array(repeating: 0, count: 784)) }
        let top = Array(repeating: [1], count: 22)
        let cases: [(String, () throws -> ExplorerPage)] = [
            ("at least one", { try ExplorerPage(model: model, images: [], topImages: top, reportImages: []) }),
            ("783 pixels", { try ExplorerPage(model: model, images: [.init(index: 1, label: 1, pixels: Array(repeating: 0, count: 783))], topImages: top, reportImages: []) }),
            ("label 10", { try ExplorerPage(model: model, images: [.init(index: 1, label: 10, pixels: Array(repeating: 0, count: 784))], topImages: top, reportImages: []) }),
            ("given twice", { try ExplorerPage(model: model, images: [image(1), image(1)], topImages: top, reportImages: []) }),
            ("21 maps", { try ExplorerPage(model: model, images: [image(1)], topImages: Array(top.dropLast()), reportImages: []) }),
            ("test image 5 is shown", { try ExplorerPage(model: model, images: [image(1)], topImages: top, reportImages: [5]) }),
        ]
        for (expected, make) in cases {
            let error = #expect(throws: ExplorerError.self) { _ = try make() }
            #expect(error?.description.contains(expected) == true && error?.description.contains("\n") == false, "\(error?.description ?? "no error") for \(expected)")
        }
    }
}
