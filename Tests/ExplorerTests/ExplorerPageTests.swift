import Foundation
import Testing
import Explorer
import Network

/// The page's making, without a browser: what it embeds, which images, and its errors.
@Suite struct ExplorerPageTests {
    static let templates = repository.appendingPathComponent("Templates").path

    static let top = [Array(repeating: [17, 4], count: 6), Array(repeating: [17, 4], count: 16)]

    /// An untrained LeNet-5 and three images of seeded bytes; every map's top images are the same two.
    static func smallPage() throws -> ExplorerPage {
        var random = SplitMix64(seed: 18)
        let images = [4, 17, 9_999].map { index in
            ExplorerPage.TestImage(index: index, label: index % 10, pixels: (0..<784).map { _ in UInt8(random.next() % 256) })
        }
        return try ExplorerPage(network: LeNet5(seed: 3).network, images: images, topImages: top, reportImages: [9_999])
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

    @Test func theDataHoldsTheNetworkAndTheImagesBitForBit() throws {
        let page = try Self.smallPage()
        let data = try Self.embedded(try page.html(templates: Self.templates))
        let (dtype, shape, bytes) = try Self.bytes(data["parameters"])
        let floats: [Float] = (0..<(bytes.count / 4)).map { (i: Int) -> Float in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { (word: UInt32, k: Int) -> UInt32 in word | UInt32(bytes[4 * i + k]) << (8 * k) })
        }
        #expect(dtype == "F32" && shape == [page.network.parameterCount])
        #expect(floats.map(\.bitPattern) == page.network.parameters.map(\.bitPattern), "the parameters little-endian, bit for bit")
        let network = try #require(data["network"] as? [String: Any])
        #expect(network["title"] as? String == "LeNet-5" && network["classes"] as? Int == 10)
        #expect(network["imageHeight"] as? Int == 28 && network["imageWidth"] as? Int == 28)
        let layers = try #require(network["layers"] as? [[String: Any]])
        #expect(layers.map { $0["kind"] as? String } == ["convolution", "relu", "maxPool", "convolution", "relu", "maxPool", "flatten",
                                                         "linear", "relu", "linear", "relu", "linear", "logSoftmax"])
        #expect(layers[0]["padding"] as? Int == 2 && layers[0]["offset"] as? Int == 0 && layers[3]["offset"] as? Int == 156)
        #expect(layers[2]["outputShape"] as? [Int] == [6, 14, 14] && layers[2]["offset"] == nil)
        let blocks = try #require(network["convolutionalLayers"] as? [[String: Any]])
        #expect(blocks.map { $0["name"] as? String } == ["conv1", "conv2"] && blocks.map { $0["outputLayer"] as? Int } == [2, 5])
        let images = try #require(data["images"] as? [String: Any])
        #expect(images["indices"] as? [Int] == [4, 17, 9_999])
        #expect(images["labels"] as? [Int] == [4, 7, 9])
        let pixels = try Self.bytes(images["pixels"])
        #expect(pixels.dtype == "U8" && pixels.shape == [3, 28, 28] && pixels.bytes == page.images.flatMap(\.pixels))
        #expect(data["top"] as? [[[Int]]] == Self.top)
        #expect(data["report"] as? [Int] == [9_999])
    }

    /// Any chain: strides, paddings, both poolings, the model's own names (escaped where they
    /// could end the script element) and its normalisation.
    @Test func anyNetworkIsDescribedLayerByLayer() throws {
        let kinds: [Layer.Kind] = [.convolution(outChannels: 2, kernel: 3, stride: 2, padding: 1), .relu, .averagePool(kernel: 3, stride: 1),
                                   .flatten, .linear(outFeatures: 3)]
        let count = 2 * 9 + 2 + 3 * (2 * 12 * 12) + 3
        let network = try Network(imageHeight: 28, imageWidth: 28, kinds: kinds, modelNames: ["features.0</script>", nil, nil, nil, "head"],
                                  parameters: (0..<count).map { Float($0) / 1000 }, normalization: InputNormalization(mean: 0.5, std: 0.25))
        let page = try ExplorerPage(network: network, images: [.init(index: 3, label: 2, pixels: Array(repeating: 9, count: 784))],
                                    topImages: [[[3], [3]]], reportImages: [3])
        let html = try page.html(templates: Self.templates)
        #expect(!html.contains("features.0</script>"), "a model's name cannot end the data element")
        let data = try Self.embedded(html), description = try #require(data["network"] as? [String: Any])
        #expect(description["title"] as? String == "the network" && description["classes"] as? Int == 3)
        let normalization = try #require(description["normalization"] as? [String: Double])
        #expect(Float(normalization["mean"]!) == 0.5 && Float(normalization["std"]!) == 0.25)
        let layers = try #require(description["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String } == ["conv1", "relu1", "pool1", "flatten", "fc1", "log_softmax"])
        #expect(layers[0]["modelName"] as? String == "features.0</script>" && layers[0]["stride"] as? Int == 2)
        #expect(layers[0]["outputShape"] as? [Int] == [2, 14, 14] && layers[2]["kind"] as? String == "averagePool")
        #expect(layers[2]["outputShape"] as? [Int] == [2, 12, 12] && layers[4]["offset"] as? Int == 20)
        let blocks = try #require(description["convolutionalLayers"] as? [[String: Any]])
        #expect(blocks.count == 1 && blocks[0]["outputLayer"] as? Int == 2 && blocks[0]["maps"] as? Int == 2)
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
        let top = [(0..<6).map { [2_000 + $0, 3] }, (6..<22).map { [2_000 + $0, 3] }]
        let chosen = ExplorerPage.testIndices(labels: labels, predictions: predictions, topImages: top, reportImages: [7_777, 2])
        #expect(chosen == Array(0..<1_000) + [1_500] + (2_000..<2_022) + [7_777, 9_998])
    }

    @Test func aMissingTemplateFileIsOneLineNamingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let explorer = folder.appendingPathComponent("explorer")
        try FileManager.default.createDirectory(at: explorer, withIntermediateDirectories: true)
        for name in ["explorer.html", "explorer.css", "network.js", "colours.js"] {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.templates).appendingPathComponent("explorer/\(name)"),
                                             to: explorer.appendingPathComponent(name))
        }
        let page = try Self.smallPage()
        let error = #expect(throws: ExplorerError.self) { try page.html(templates: folder.path) }
        #expect(error?.description.contains("explorer/explorer.js") == true && error?.description.contains("\n") == false, "\(error?.description ?? "")")

        try "<html><body>{{network.js}}{{colours.js}}{{explorer.js}}</body></html>".write(to: explorer.appendingPathComponent("explorer.html"), atomically: true, encoding: .utf8)
        try "let a = 1;".write(to: explorer.appendingPathComponent("explorer.js"), atomically: true, encoding: .utf8)
        let missingTag = #expect(throws: ExplorerError.self) { try page.html(templates: folder.path) }
        #expect(missingTag?.description.contains("{{explorer.css}} must appear once, found 0 times") == true, "\(missingTag?.description ?? "")")
    }

    @Test func badInputsAreOneLineErrors() throws {
        let network = LeNet5(seed: 1).network
        let image = { (index: Int) in ExplorerPage.TestImage(index: index, label: 1, pixels: Array(repeating: 0, count: 784)) }
        let top = Self.top.map { $0.map { _ in [1] } }
        let cases: [(String, () throws -> ExplorerPage)] = [
            ("at least one", { try ExplorerPage(network: network, images: [], topImages: top, reportImages: []) }),
            ("783 pixels", { try ExplorerPage(network: network, images: [.init(index: 1, label: 1, pixels: Array(repeating: 0, count: 783))], topImages: top, reportImages: []) }),
            ("label 10", { try ExplorerPage(network: network, images: [.init(index: 1, label: 10, pixels: Array(repeating: 0, count: 784))], topImages: top, reportImages: []) }),
            ("given twice", { try ExplorerPage(network: network, images: [image(1), image(1)], topImages: top, reportImages: []) }),
            ("for 1 convolutional layers, not 2", { try ExplorerPage(network: network, images: [image(1)], topImages: Array(top.dropLast()), reportImages: []) }),
            ("15 maps of conv2, not 16", { try ExplorerPage(network: network, images: [image(1)], topImages: [top[0], Array(top[1].dropLast())], reportImages: []) }),
            ("test image 5 is shown", { try ExplorerPage(network: network, images: [image(1)], topImages: top, reportImages: [5]) }),
        ]
        for (expected, make) in cases {
            let error = #expect(throws: ExplorerError.self) { _ = try make() }
            #expect(error?.description.contains(expected) == true && error?.description.contains("\n") == false, "\(error?.description ?? "no error") for \(expected)")
        }
    }
}
