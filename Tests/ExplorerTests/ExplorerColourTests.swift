import Foundation
import Testing
import Graphics
import Network

let nodePath = "/usr/bin/node"

/// The page's colour maps and scale limit (`Templates/explorer/colours.js`, a copy of
/// `Sources/Graphics/Colormap.swift` in JavaScript) against the report's, evaluated under Node at
/// many points: each of the page's 511 shades of a map exactly, values between shades within a
/// shade's step, and the percentile limit of seeded arrays exactly.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: nodePath), "needs Node at /usr/bin/node"))
struct ExplorerColourTests {
    static let node = nodePath

    struct Answers: Decodable {
        /// For each map: [value, r, g, b] rows with bytes 0–255.
        let ink: [[Double]], viridis: [[Double]], diverging: [[Double]]
        let limits: [Float]
    }

    /// Values from −1.2 to 1.2 (beyond the limit, to see the ends saturate): every shade's own
    /// value, and seeded values between them, then NaN and infinity (last, as the script adds
    /// them); and seeded arrays for the percentile.
    static func inputs() -> (values: [Double], arrays: [[Float]]) {
        var random = SplitMix64(seed: 6)
        func uniform() -> Double { Double(random.next() >> 11) / 9_007_199_254_740_992 }   // [0, 1)
        var values = [Double]()
        for k in 0...510 {
            let t = Double(k) / 510
            values += [t, 2 * t - 1]
        }
        for _ in 0..<400 { values.append(2.4 * uniform() - 1.2) }
        var arrays = [[Float]]()
        for n in 0..<30 {
            var array = [Float]()
            for i in 0..<(n * 37 % 900 + 1) {
                let value: Float = i % 7 == 0 ? 0 : Float(2 * uniform() - 1) * Float(n + 1)
                array.append(value)
            }
            arrays.append(array)
        }
        arrays += [[], [0, 0], [-3, 1, 2, 0]]
        return (values + [.nan, .infinity], arrays)
    }

    static func run() throws -> Answers {
        let (values, arrays) = inputs()
        let script = repository.appendingPathComponent("Templates/explorer/colours.js").path
        let program = """
            const c = require(\(String(decoding: try JSONEncoder().encode(script), as: UTF8.self)));
            const values = \(String(decoding: try JSONEncoder().encode(values.filter(\.isFinite)), as: UTF8.self)).concat([NaN, Infinity]);
            const arrays = \(String(decoding: try JSONEncoder().encode(arrays), as: UTF8.self));
            const at = (colour) => values.map((v) => [v, ...c.colourOf(c.COLOURS[colour], v, 1)].map((x) => Number.isFinite(x) ? x : -1));
            console.log(JSON.stringify({ ink: at('ink'), viridis: at('viridis'), diverging: at('diverging'),
              limits: arrays.map((a) => c.percentileLimit(Float32Array.from(a))) }));
            """
        // In a file: the program holds a thousand numbers, too long for an argument.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-colours-\(UUID().uuidString).js")
        try Data(program.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [file.path]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ChromiumError("node exited with status \(process.terminationStatus)") }
        return try JSONDecoder().decode(Answers.self, from: data)
    }

    @Test func theColourMapsAgreeWithTheReports() throws {
        let answers = try Self.run(), values = Self.inputs().values
        let maps: [(String, [[Double]], Colormap, Double)] = [
            // The page places a value on a shade from 0 (low end) to 1 (high end); the step is one shade.
            ("ink", answers.ink, .ink(maximum: 1), 1), ("viridis", answers.viridis, .viridis(minimum: 0, maximum: 1), 1),
            ("diverging", answers.diverging, .diverging(limit: 1), 2),
        ]
        for (name, rows, colormap, span) in maps {
            #expect(rows.count == values.count)
            var worstOnShades = 0.0, worstBetween = 0.0
            for (row, value) in zip(rows, values) {
                let expected = colormap.color(Float(value))
                let difference = zip(row.dropFirst(), [expected.red, expected.green, expected.blue]).map { abs($0 - 255 * $1) }.max()!
                // A value on a shade of the page's table: only the rounding to a byte differs.
                let position = name == "diverging" ? (value + 1) / 2 : value
                let onShade = value.isFinite && abs(position * 510 - (position * 510).rounded()) < 1e-9
                if onShade { worstOnShades = max(worstOnShades, difference) } else { worstBetween = max(worstBetween, difference) }
            }
            print("explorer colours (\(name)): largest difference \(worstOnShades) of 255 on the page's shades, \(worstBetween) between them")
            // (The report's map reads the value as a Float: a hundred-thousandth of a byte more.)
            #expect(worstOnShades <= 0.5 + 1e-4, "\(name): the page's shades are the report's colours rounded to bytes")
            #expect(worstBetween <= 1.5, "\(name): between shades, within one shade's step (span \(span))")
        }
    }

    @Test func thePercentileLimitIsTheReports() throws {
        let answers = try Self.run(), arrays = Self.inputs().arrays
        #expect(answers.limits.count == arrays.count)
        for (limit, array) in zip(answers.limits, arrays) {
            #expect(limit == Colormap.percentileLimit(array), "\(array.count) values")
        }
    }
}
