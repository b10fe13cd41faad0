import Testing
@testable import Graphics

/// Text of known sizes, one line of it rotated, inside a figure that scales part of itself.
private struct Labels: Figure {
    var size: Size { Size(200, 100) }
    func draw(on canvas: Canvas) {
        canvas.text("ten", at: Point(5, 5), font: .sans(10))
        canvas.isolated {
            canvas.translate(100, 50)
            canvas.scale(0.5, 0.5)
            canvas.text("eight, halved", at: Point(0, 0), font: .sans(8))
            canvas.rotate(-Double.pi / 2)
            canvas.text("twelve, halved and turned", at: Point(0, 0), font: .sans(12))
        }
        canvas.drawing(as: .data) { canvas.strokeLine([Point(0, 90), Point(200, 90)], .black, width: 2) }
        canvas.recordRegion(Rect(150, 80, 20, 20), as: .legend)
    }
}

/// The record has every text at its printed size (font size times the scale in force, whatever
/// the rotation), within 1e-9 pt, and the marks in printed coordinates.
struct RecordingTests {
    @Test func textSizesAreScaledByTheCurrentTransform() throws {
        let record = Labels().recording(scale: 0.5)
        let sizes = Dictionary(uniqueKeysWithValues: record.texts.map { ($0.text, $0.size) })
        let expected = ["ten": 5.0, "eight, halved": 2.0, "twelve, halved and turned": 3.0]
        let worst = expected.map { abs((sizes[$0.key] ?? .infinity) - $0.value) }.max()!
        #expect(sizes.count == 3 && worst < 1e-9, "recorded \(sizes), expected \(expected)")
        #expect(record.smallestText?.text == "eight, halved")
    }

    @Test func smallestPrintedTextFollowsThePrintArea() throws {
        // 200 pt wide fits the column: printed at natural size.
        #expect(try #require(Labels().smallestPrintedText()).size == 4)
        let narrow = PrintArea(width: 100, maxHeight: 520)
        #expect(abs(try #require(Labels().smallestPrintedText(in: narrow)).size - 2) < 1e-9)
    }

    @Test func legendOverDataIsFound() {
        let record = Labels().recording()
        let hits = record.dataUnderLegends()
        #expect(hits.count == 1, "found \(hits)")
        // 12 pt clear of the legend's box the line is not under it.
        #expect(record.dataUnderLegends(tolerance: 12).isEmpty)
    }

    @Test func shapesIntersectRectangles() {
        let box = Rect(10, 10, 10, 10)
        #expect(DrawingRecord.Shape.polyline([Point(0, 0), Point(30, 30)], halfWidth: 0).intersects(box))
        #expect(!DrawingRecord.Shape.polyline([Point(0, 0), Point(30, 0)], halfWidth: 5).intersects(box))
        #expect(DrawingRecord.Shape.polyline([Point(0, 0), Point(30, 0)], halfWidth: 11).intersects(box))
        #expect(DrawingRecord.Shape.circle(Point(25, 25), radius: 8).intersects(box))
        #expect(!DrawingRecord.Shape.circle(Point(27, 27), radius: 8).intersects(box))
        #expect(!DrawingRecord.Shape.rect(Rect(20, 0, 5, 30)).intersects(box))
    }
}
