import Charts
import FileIO
import Foundation
import Graphics
import Testing
@testable import ReportKit

/// A figure's PDF and PNG are kept only when the same renderer draws the same SVG and the files
/// are still the ones it listed; everything else is drawn anew, to the bytes a cold run gives.
@Suite struct DrawnFiguresTests {
    static func chart(_ slope: Double) -> any Figure {
        LineChart(xLabel: "x", yLabel: "y", series: [.init(name: "line", points: (0..<5).map { Point(Double($0), slope * Double($0)) })])
    }
    static let figures: [NamedFigure] = [("a", chart(1)), ("b", chart(2))]

    /// Renders `figures` against `folder` as the pipeline does, writes them there, and returns the result.
    static func render(_ figures: [NamedFigure], into folder: String) throws -> FigureFiles {
        var html: [String: Data] = [:]
        let (files, _, _) = try FigureFiles.render(figures, folder: folder, threads: 2, first: [], fromSVGs: { html = $0; return Data() })
        #expect(html == files.svgsByLink, "the HTML job gets every SVG")
        try files.write(to: folder)
        return files
    }

    static func temporaryFolder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID())").path
    }

    static func contents(_ folder: String) throws -> [String: [UInt8]] {
        Dictionary(uniqueKeysWithValues: try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0 != DrawnFigures.name }.map { ($0, try FileSystem.read(folder + "/" + $0)) })
    }

    @Test func keepsWhatTheSameRendererDrewTheSame() throws {
        try #require(DrawnFigures.currentRenderer != nil, "the executable has a GNU build ID")
        let folder = Self.temporaryFolder("drawn")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cold = try Self.render(Self.figures, into: folder)
        #expect(cold.reused == 0 && cold.files.count == 3 * 2 + 1)
        let coldBytes = try Self.contents(folder)
        #expect(coldBytes.count == 6)

        let warm = try Self.render(Self.figures, into: folder)
        #expect(warm.reused == 2 && warm.files.map(\.name).sorted() == ["a.svg", "b.svg", DrawnFigures.name])
        #expect(try Self.contents(folder) == coldBytes)

        // A PNG altered since is drawn again; so is a figure whose SVG changed.
        try FileSystem.write(Data("not a PNG".utf8), to: folder + "/a.png")
        let altered = try Self.render([("a", Self.chart(1)), ("b", Self.chart(3))], into: folder)
        #expect(altered.reused == 0)
        #expect(try Self.contents(folder)["a.png"] == coldBytes["a.png"])
        #expect(try Self.contents(folder)["b.png"] != coldBytes["b.png"])

        // Another renderer's list keeps nothing.
        var other = DrawnFigures(renderer: "another build")
        for name in ["a", "b"] {
            let files = try Format.allCases.map { ($0, Data(try FileSystem.read(folder + "/\(name).\($0.rawValue)"))) }
            other.list(name, Dictionary(uniqueKeysWithValues: files))
        }
        try FileSystem.write(Data(other.text.utf8), to: folder + "/" + DrawnFigures.name)
        #expect(try Self.render(Self.figures, into: folder).reused == 0)
        #expect(try Self.render(Self.figures, into: folder).reused == 2)
    }

    /// The list reads back what it wrote, and a figure no longer drawn loses its files.
    @Test func listRoundTripsAndStaleFiguresGo() throws {
        let folder = Self.temporaryFolder("drawn-list")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Self.render(Self.figures, into: folder)
        let list = DrawnFigures(folder: folder)
        #expect(list.text == (try FileSystem.readText(folder + "/" + DrawnFigures.name)))
        _ = try Self.render([Self.figures[0]], into: folder)
        #expect(try Self.contents(folder).keys.sorted() == ["a.pdf", "a.png", "a.svg"])
    }
}
