import FileIO
import Foundation
import Graphics
import MNIST
import Writeup

/// What drew the figure files of a folder (`figures/drawn.txt`): the executable, by the build ID
/// its linker wrote, and the libraries; and each figure's SVG, PDF and PNG by SHA-256. A later run
/// with the same executable and libraries keeps a figure's PDF and PNG when its SVG comes out byte
/// for byte the same and both files are still the ones listed: they would be drawn the same, and
/// drawing them is most of a warm report's figure time.
struct DrawnFigures {
    static let name = "drawn.txt"
    /// The executable and the libraries; nil when the executable has no build ID (nothing is reused).
    let renderer: String?
    /// Each figure's files by format, as SHA-256 digests.
    private(set) var digests: [String: [Format: String]] = [:]

    init(renderer: String? = Self.currentRenderer) {
        self.renderer = renderer
    }

    static let currentRenderer: String? = executableBuildID().map { id in
        (["build \(id)", "PNG \(FigureFiles.pngDPI) dpi"]
            + (MNIST.libraryVersions + Canvas.libraryVersions + Typesetter.libraryVersions).map { "\($0.name) \($0.version)" })
            .joined(separator: ", ")
    }

    /// The list in `folder`, if it was written by this renderer; otherwise an empty one.
    init(folder: String) {
        self.init()
        guard let renderer, let text = try? FileSystem.readText(folder.appending(path: Self.name)) else { return }
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        guard lines.first.map(String.init) == "renderer " + renderer else { return }
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 1 + Format.allCases.count else { continue }
            digests[fields[0]] = Dictionary(uniqueKeysWithValues: zip(Format.allCases, fields.dropFirst()))
        }
    }

    /// Whether `figure`'s PDF and PNG in `folder` can be kept: its new SVG is the one listed, and
    /// they are too.
    func reusable(_ figure: String, svg: Data, in folder: String) -> Bool {
        guard let listed = digests[figure], listed[.svg] == SHA256.hex(svg) else { return false }
        return Format.allCases.filter { $0 != .svg }.allSatisfy { format in
            (try? FileSystem.read(folder.appending(path: "\(figure).\(format.rawValue)"))).map(SHA256.hex) == listed[format]
        }
    }

    mutating func list(_ figure: String, _ files: [Format: Data]) {
        digests[figure] = files.mapValues { SHA256.hex($0) }
    }

    /// Lists `figure` as `previous` did: its files were kept.
    mutating func keep(_ figure: String, from previous: DrawnFigures) {
        digests[figure] = previous.digests[figure]
    }

    /// The file's text: the renderer, then a line per figure.
    var text: String {
        (["# What drew these figures. The next run keeps a figure's PDF and PNG if the same renderer draws the same SVG.",
          "renderer " + (renderer ?? "unknown"),
          "# figure, and the SHA-256 of its " + Format.allCases.map(\.rawValue).joined(separator: ", ")]
            + digests.keys.sorted().map { name in ([name] + Format.allCases.map { digests[name]![$0] ?? "-" }).joined(separator: " ") })
            .joined(separator: "\n") + "\n"
    }
}

/// The GNU build ID the linker wrote into the running executable (a hash of what it linked), in
/// hex; nil when it has none.
private func executableBuildID() -> String? {
    guard let file = FileHandle(forReadingAtPath: "/proc/self/exe") else { return nil }
    defer { try? file.close() }
    func read(_ offset: Int, _ count: Int) -> Data? {
        guard (try? file.seek(toOffset: UInt64(offset))) != nil, let data = try? file.read(upToCount: count), data.count == count
        else { return nil }
        return data
    }
    func integer<I: FixedWidthInteger>(_ data: Data, _ offset: Int, _: I.Type) -> Int {
        Int(I(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: I.self) }))
    }
    // A 64-bit little-endian ELF file: its program headers, and the notes they point to.
    guard let header = read(0, 64), header.prefix(6) == Data([0x7F, 0x45, 0x4C, 0x46, 2, 1]) else { return nil }
    let (tableOffset, entrySize, entries) = (integer(header, 32, UInt64.self), integer(header, 54, UInt16.self),
                                             integer(header, 56, UInt16.self))
    guard entrySize >= 56, let table = read(tableOffset, entrySize * entries) else { return nil }
    for entry in 0..<entries where integer(table, entry * entrySize, UInt32.self) == 4 {  // PT_NOTE
        let (offset, size) = (integer(table, entry * entrySize + 8, UInt64.self), integer(table, entry * entrySize + 32, UInt64.self))
        guard size < 1 << 16, let notes = read(offset, size) else { continue }
        var at = 0
        while at + 12 <= size {
            let (nameSize, descriptionSize, type) = (integer(notes, at, UInt32.self), integer(notes, at + 4, UInt32.self),
                                                     integer(notes, at + 8, UInt32.self))
            let description = at + 12 + (nameSize + 3) & ~3
            guard description + descriptionSize <= size else { break }
            if type == 3, notes[(at + 12)..<(at + 12 + nameSize)] == Data("GNU\0".utf8) {  // NT_GNU_BUILD_ID
                return notes[description..<(description + descriptionSize)].map { String(format: "%02x", $0) }.joined()
            }
            at = description + (descriptionSize + 3) & ~3
        }
    }
    return nil
}
