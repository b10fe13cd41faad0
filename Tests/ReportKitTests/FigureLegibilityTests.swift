import Graphics
import Testing
@testable import ReportKit

/// Every figure of the report, as the PDF prints it: no text under 7 pt, no legend over data, and
/// PNGs with their resolution recorded at twice the printed size or more.
@Suite struct FigureLegibilityTests {
    static let figures = ReportChapters(Fixture.trained).figures

    @Test func noTextUnderSevenPointsAsPrinted() {
        for (name, figure) in Self.figures {
            guard let smallest = figure.smallestPrintedText(in: .column) else { continue }
            #expect(smallest.size >= PrintArea.minimumTextSize - 1e-9,
                    "\(name): “\(smallest.text)” prints at \(smallest.size) pt (figure \(figure.size), scale \(PrintArea.column.scale(for: figure.size)))")
        }
    }

    @Test func noLegendCoversData() {
        for (name, figure) in Self.figures {
            let covered = figure.recording().dataUnderLegends()
            #expect(covered.isEmpty, "\(name): legend \(covered.first.map { "\($0.legend)" } ?? "") covers data")
        }
    }

    /// The PNG's pHYs says how many pixels make an inch of the printed figure: at least 144, twice
    /// the 72 points of an inch.
    @Test func pngsAtTwiceThePrintedSizeWithTheirResolution() throws {
        for (name, figure) in Self.figures.prefix(6) {
            let png = [UInt8](try figure.rendered(as: .png, printedIn: .column, dpi: FigureFiles.pngDPI))
            let phys = try #require(png.indices.dropLast(12).first { png[$0..<($0 + 4)].elementsEqual(Array("pHYs".utf8)) }, "\(name): no pHYs")
            let perMetre = png[(phys + 4)..<(phys + 8)].reduce(0) { $0 << 8 | Int($1) }
            #expect(Double(perMetre) * 0.0254 >= 144, "\(name): \(Double(perMetre) * 0.0254) dpi")
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let printed = figure.size.width * PrintArea.column.scale(for: figure.size)
            #expect(Double(width) >= 2 * printed, "\(name): \(width) px for \(printed) pt printed")
        }
    }
}
