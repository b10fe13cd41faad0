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
        #expect(throws: ChartsError.self) { try document.finish() }
    }
}
