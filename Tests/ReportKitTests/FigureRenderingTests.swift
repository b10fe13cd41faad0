import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts
import Graphics

/// Collects the root element and the embedded images of an SVG.
private final class SVGReader: NSObject, XMLParserDelegate {
    var root: (name: String, attributes: [String: String])?
    var images: [[String: String]] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = (elementName, attributes) }
        if elementName == "image" { images.append(attributes) }
    }
}

private func readSVG(_ data: Data) -> SVGReader? {
    let reader = SVGReader()
    let parser = XMLParser(data: data)
    parser.delegate = reader
    guard parser.parse() else { return nil }
    return reader
}

/// Width and height from a PNG's IHDR chunk.
private func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
    func int(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (int(16), int(20))
}

/// "470pt" → 470.
private func points(_ attribute: String?) -> Double? {
    attribute.flatMap { Double($0.hasSuffix("pt") ? String($0.dropLast(2)) : $0) }
}

/// Every figure renders to the three formats with its size; sizes compared within 0.01 pt (SVG,
/// PDF) and exactly in pixels (PNG).
struct RenderingTests {
    @Test(arguments: Sample.allCases)
    func svgParsesWithTheFigureSize(_ sample: Sample) throws {
        let figure = sample.figure
        let reader = try #require(readSVG(try figure.rendered(as: .svg)), "the SVG does not parse as XML")
        #expect(reader.root?.name == "svg")
        let width = try #require(points(reader.root?.attributes["width"])), height = try #require(points(reader.root?.attributes["height"]))
        #expect(abs(width - figure.size.width) <= 0.01 && abs(height - figure.size.height) <= 0.01,
                "SVG is \(width) × \(height) pt, the figure \(figure.size.width) × \(figure.size.height)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo"), "needs poppler-utils' pdfinfo"),
          arguments: Sample.allCases)
    func pdfHasOnePageOfTheFigureSize(_ sample: Sample) throws {
        let figure = sample.figure
        let pdf = try figure.rendered(as: .pdf)
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("charts-\(sample.rawValue)-\(UUID()).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdfinfo")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.contains(/Pages:\s+1\n/), "pdfinfo says:\n\(output)")
        let match = try #require(output.firstMatch(of: /Page size:\s+([0-9.]+) x ([0-9.]+) pts/), "pdfinfo says:\n\(output)")
        let (width, height) = (Double(match.1)!, Double(match.2)!)
        #expect(abs(width - figure.size.width) <= 0.01 && abs(height - figure.size.height) <= 0.01,
                "PDF page is \(width) × \(height) pt, the figure \(figure.size.width) × \(figure.size.height)")
    }

    @Test(arguments: Sample.allCases)
    func pngHasTwoPixelsPerPoint(_ sample: Sample) throws {
        let figure = sample.figure
        let size = try #require(pngSize(try figure.rendered(as: .png)), "not a PNG")
        #expect(size.width == Int((2 * figure.size.width).rounded(.up)) && size.height == Int((2 * figure.size.height).rounded(.up)),
                "PNG is \(size.width) × \(size.height) px for a \(figure.size.width) × \(figure.size.height) pt figure")
    }

    @Test(arguments: Sample.allCases)
    func renderingTwiceGivesTheSamePDF(_ sample: Sample) throws {
        #expect(try sample.figure.rendered(as: .pdf) == sample.figure.rendered(as: .pdf))
    }

    /// Viewers must not blur 5 × 5 filters into smudges.
    @Test func pdfImagesAreNotInterpolated() throws {
        let pdf = try Samples.conv1Filters.rendered(as: .pdf)
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/Interpolate false"))
        #expect(!text.contains("/Interpolate true"))
    }

    /// SVG viewers smooth images unless told not to: the embedded PNGs keep the original pixels
    /// and every <image> asks to be drawn pixelated.
    @Test(arguments: [(Sample.conv1Filters, 5), (Sample.digits, 28)])
    func svgImagesKeepTheirPixelsAndArePixelated(_ sample: Sample, pixels: Int) throws {
        let reader = try #require(readSVG(try sample.figure.rendered(as: .svg)))
        #expect(!reader.images.isEmpty)
        for image in reader.images {
            let width = try #require(Int(image["width"] ?? ""), "image without an integer width: \(image["width"] ?? "none")")
            let href = try #require(image["xlink:href"] ?? image["href"])
            let encoded = try #require(href.split(separator: ",").last.map(String.init))
            let embedded = try #require(Data(base64Encoded: encoded).flatMap(pngSize), "the embedded image is not a PNG")
            #expect(embedded.width == width && width == pixels, "embedded PNG \(embedded.width) px wide, <image> width \(width), source \(pixels) px")
            #expect(image["image-rendering"] == "optimizeSpeed" && image["style"] == "image-rendering:pixelated", "\(image)")
        }
    }
}
