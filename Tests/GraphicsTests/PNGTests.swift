import Foundation
import Testing
@testable import Graphics

/// A figure of one colour, `size` points.
private struct Swatch: Figure {
    let size: Size
    let color: Color
    func draw(on canvas: Canvas) { canvas.fill(Rect(0, 0, size.width, size.height), color) }
}

/// The chunks of a PNG, each with whether its CRC is right.
private func chunks(_ data: Data) -> [(type: String, body: [UInt8], crcOK: Bool)]? {
    let bytes = [UInt8](data)
    guard bytes.count > 8, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
    func int(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    var result: [(String, [UInt8], Bool)] = [], at = 8
    while at + 12 <= bytes.count {
        let length = int(at)
        guard at + 12 + length <= bytes.count else { return nil }
        let typeAndBody = Array(bytes[(at + 4)..<(at + 8 + length)])
        result.append((String(decoding: typeAndBody.prefix(4), as: UTF8.self), Array(typeAndBody.dropFirst(4)),
                       crc32(typeAndBody) == UInt32(int(at + 8 + length))))
        at += 12 + length
    }
    return at == bytes.count ? result : nil
}

/// CRC-32 as PNG defines it (ISO 3309), bit by bit.
private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func int(_ bytes: [UInt8], _ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }

/// PNGs come from libpng: well formed, RGB, with the resolution they were drawn at in pHYs
/// (pixels per metre, rounded; 300 dpi is 11,811).
struct PNGTests {
    @Test func naturalSizeRecords72TimesTheScale() throws {
        let png = try Swatch(size: Size(100, 40), color: .white).rendered(as: .png, pngScale: 2)
        let parts = try #require(chunks(png), "not a well-formed PNG")
        #expect(parts.allSatisfy { $0.crcOK })
        #expect(parts.map(\.type).first == "IHDR" && parts.map(\.type).last == "IEND" && parts.contains { $0.type == "IDAT" })
        let header = parts[0].body
        #expect(int(header, 0) == 200 && int(header, 4) == 80, "IHDR says \(int(header, 0)) × \(int(header, 4))")
        #expect(header[8] == 8 && header[9] == 2, "bit depth \(header[8]), colour type \(header[9]) (want 8-bit RGB)")
        let phys = try #require(parts.first { $0.type == "pHYs" }?.body)
        #expect(int(phys, 0) == 5669 && int(phys, 4) == 5669 && phys[8] == 1, "pHYs \(phys)")   // 144 dpi = 5,669.3 px/m
    }

    /// A figure twice the column's width prints at half size: 300 dpi of the printed figure is
    /// 300 / 72 × 0.5 pixels per point of the figure.
    @Test func printedSizeSetsThePixelsAndThePHYs() throws {
        let figure = Swatch(size: Size(2 * PrintArea.column.width, 100), color: Color(0.2, 0.4, 0.6))
        let png = try figure.rendered(as: .png, printedIn: .column, dpi: 300)
        let parts = try #require(chunks(png))
        let (width, height): (Double, Double) = (figure.size.width * 300 / 72 * 0.5, 100.0 * 300 / 72 * 0.5)
        let expected = (Int(width.rounded(.up)), Int(height.rounded(.up)))
        #expect(int(parts[0].body, 0) == expected.0 && int(parts[0].body, 4) == expected.1,
                "IHDR \(int(parts[0].body, 0)) × \(int(parts[0].body, 4)), expected \(expected)")
        let phys = try #require(parts.first { $0.type == "pHYs" }?.body)
        #expect(int(phys, 0) == 11811 && phys[8] == 1)
        // Printed 0.5 × 926.56 pt = 6.43 in wide: at 300 dpi, 1,930 px.
        #expect(abs(Double(int(parts[0].body, 0)) / 300 - figure.size.width * 0.5 / 72) < 1.0 / 300)
    }

    @Test func samePNGEveryTime() throws {
        let figure = Swatch(size: Size(30, 20), color: Color(hex: 0x2166AC))
        #expect(try figure.rendered(as: .png) == figure.rendered(as: .png))
    }

    @Test func emptyFigureIsAnError() {
        #expect(throws: RenderingError.self) { try Swatch(size: Size(0, 10), color: .white).rendered(as: .png) }
    }
}
