import Foundation
import Testing
@testable import Graphics

/// The incremental update that adds what Cairo 1.16 cannot write to a tagged PDF.
@Suite struct PDFAccessibilityTests {
    /// A two-page document with two figures, drawn as the typesetter does.
    func document(figures: Int = 2, language: String? = "en") throws -> Data {
        let document = PDFDocument(pageSize: Size(200, 200), title: "T", author: "A", subject: "S", language: language)
        let canvas = document.canvas
        canvas.beginStructure("Document")
        for n in 0..<figures {
            if n > 0 { document.nextPage() }
            canvas.beginFigure(alternativeText: n == 0 ? "A plain one" : "Ünïcode (and brackets)")
            canvas.fill(Rect(10, 10, 50, 50), .black)
            canvas.endStructure("Figure")
            canvas.beginStructure("P")
            canvas.text("caption \(n)", at: Point(10, 70), font: .sans(9))
            canvas.endStructure("P")
        }
        canvas.endStructure("Document")
        return try document.finish()
    }

    @Test func textStringsAreLiteralForASCIIAndUTF16Otherwise() {
        #expect(PDFAccessibility.pdfString("a (b) \\") == "(a \\(b\\) \\\\)")
        #expect(PDFAccessibility.pdfString("Ä (1)") == "<FEFF00C40020002800310029>")
    }

    @Test func theUpdateAppendsACatalogAndFiguresWithATrailerPointingBack() throws {
        let pdf = try document()
        // Cairo's file is the bytes up to the first %%EOF; the update follows, its trailer pointing back.
        let end = try #require(pdf.firstRange(of: Data("%%EOF\n".utf8)))
        let original = try CairoPDF(Data(pdf[..<end.upperBound]))
        let update = String(decoding: pdf[end.upperBound...], as: UTF8.self)
        #expect(update.contains("/Prev \(original.startxref)"), "\(update)")
        #expect(update.contains("/Lang (en)") && update.contains("/DisplayDocTitle true"))
        #expect(update.contains("/Alt (A plain one)") && update.contains("/Alt <FEFF00DC"))
        #expect(!String(decoding: pdf[..<end.upperBound], as: UTF8.self).contains("/Alt"))
        let updated = try CairoPDF(pdf)
        #expect(updated.root == original.root && updated.size == original.size)
        #expect(try updated.dictionary(updated.root).contains("/Lang (en)"))
        #expect(try original.structureElements(named: "Figure") == updated.structureElements(named: "Figure"))
        #expect(try updated.structureElements(named: "Figure").count == 2)
    }

    @Test func aMismatchBetweenFiguresAndTextsIsAnError() throws {
        let document = PDFDocument(pageSize: Size(100, 100), title: "", author: "", subject: "")
        document.canvas.beginStructure("Figure")   // a Figure without a text
        document.canvas.fill(Rect(0, 0, 10, 10), .black)
        document.canvas.endStructure("Figure")
        document.canvas.beginFigure(alternativeText: "one")
        document.canvas.fill(Rect(0, 0, 10, 10), .black)
        document.canvas.endStructure("Figure")
        #expect(throws: RenderingError.self) { try document.finish() }
    }
}

/// Figures' SVGs carry their text as real, transparent text over Cairo's glyph outlines.
@Suite struct SVGTextLayerTests {
    struct Labels: Figure {
        var size: Size { Size(200, 100) }
        func draw(on canvas: Canvas) {
            canvas.text("a < b & c", at: Point(10, 10), font: .sans(9))
            canvas.isolated {
                canvas.translate(50, 90)
                canvas.rotate(-Double.pi / 2)
                canvas.text("rotated", at: Point(0, 0), font: .sans(8, bold: true))
            }
        }
    }

    @Test func textIsRecordedWithItsPlaceAndFont() throws {
        let svg = String(decoding: try Labels().rendered(as: .svg), as: UTF8.self)
        #expect(svg.contains("<g class=\"text\" fill=\"#000\" fill-opacity=\"0\">"))
        #expect(svg.contains(">a &lt; b &amp; c</text>"))
        let rotated = try #require(svg.firstMatch(of: /<text transform="matrix\(([^)]*)\)"[^>]*font-weight="bold"[^>]*>rotated<\/text>/))
        let m = rotated.1.split(separator: " ").compactMap { Double($0) }
        // A quarter turn anticlockwise about (50, 90): (xx, yx, xy, yy) = (0, -1, 1, 0).
        #expect(m.count == 6 && abs(m[0]) < 1e-6 && abs(m[1] + 1) < 1e-6 && abs(m[2] - 1) < 1e-6 && abs(m[4] - 50) < 1e-6, "\(m)")
        #expect(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"))
    }

    /// Images keep their own pixels in an SVG, and say how to draw them: as crisp squares.
    @Test func svgImagesArePixelated() throws {
        struct Pixels: Figure {
            var size: Size { Size(60, 60) }
            func draw(on canvas: Canvas) {
                canvas.image(PixelImage(width: 3, height: 3, values: (0..<9).map(Float.init)) { Color(Double($0) / 8, 0.5, 1 - Double($0) / 8) }, in: Rect(0, 0, 60, 60))
            }
        }
        let svg = String(decoding: try Pixels().rendered(as: .svg), as: UTF8.self)
        let base64 = try #require(svg.firstMatch(of: /data:image\/png;base64,([A-Za-z0-9+\/=]+)/))
        let png = try #require(Data(base64Encoded: String(base64.1)))
        // The PNG's size is in its header: width and height at bytes 16 and 20.
        #expect(png[19] == 3 && png[23] == 3, "the image is stored at its 3 × 3 pixels")
        #expect(svg.contains("<image image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" "))
    }
}
