import FileIO
import Foundation

/// Readers for the IDX format MNIST ships in: a big-endian header (magic number, then one
/// 32-bit size per dimension) followed by unsigned bytes. Files may be gzip-compressed.
public enum IDX {
    public static let imagesMagic: UInt32 = 2051
    public static let labelsMagic: UInt32 = 2049

    /// Images as `count × rows × columns` bytes, row-major. MNIST images must be 28 × 28.
    public static func readImages(_ bytes: [UInt8], path: String) throws(FileError) -> (count: Int, pixels: [UInt8]) {
        let header = try readHeader(bytes, path: path, magic: imagesMagic, kind: "images", dimensions: 3)
        let (count, rows, columns) = (header[0], header[1], header[2])
        guard rows == MNISTImage.side && columns == MNISTImage.side else {
            throw FileError(path: path, "images are \(rows)×\(columns), expected 28×28")
        }
        let pixels = try payload(bytes, headerSize: 16, expected: count * rows * columns, path: path)
        return (count, pixels)
    }

    /// Labels as bytes, each checked to be a digit 0–9.
    public static func readLabels(_ bytes: [UInt8], path: String) throws(FileError) -> [UInt8] {
        let header = try readHeader(bytes, path: path, magic: labelsMagic, kind: "labels", dimensions: 1)
        let labels = try payload(bytes, headerSize: 8, expected: header[0], path: path)
        if let bad = labels.firstIndex(where: { $0 > 9 }) {
            throw FileError(path: path, "label \(labels[bad]) at index \(bad) is not a digit 0–9")
        }
        return labels
    }

    /// Reads a file from disk, inflating it when it is gzip-compressed.
    public static func contents(of path: String) throws(FileError) -> (raw: [UInt8], decoded: [UInt8]) {
        guard FileSystem.exists(path) else {
            throw FileError(path: path,
                            "not found; the four MNIST files ship in the repository's Data/ folder (pass --data to read them elsewhere)")
        }
        let raw = try FileSystem.read(path)
        return (raw, try decoded(raw, path: path))
    }

    /// A file's bytes inflated when they are gzip-compressed (what `make fuzz`'s idx target feeds).
    public static func decoded(_ raw: [UInt8], path: String) throws(FileError) -> [UInt8] {
        Gzip.isCompressed(raw) ? try Gzip.decompress(raw, path: path) : raw
    }

    private static func readHeader(
        _ bytes: [UInt8], path: String, magic: UInt32, kind: String, dimensions: Int
    ) throws(FileError) -> [Int] {
        let headerSize = 4 * (1 + dimensions)
        guard bytes.count >= headerSize else {
            throw FileError(path: path, "truncated: \(bytes.count) bytes, shorter than the \(headerSize)-byte IDX header")
        }
        let found = bigEndian(bytes, at: 0)
        guard found == magic else {
            throw FileError(path: path, "wrong magic number \(found), expected \(magic) for \(kind)")
        }
        return (1...dimensions).map { Int(bigEndian(bytes, at: 4 * $0)) }
    }

    private static func payload(_ bytes: [UInt8], headerSize: Int, expected: Int, path: String) throws(FileError) -> [UInt8] {
        let actual = bytes.count - headerSize
        guard actual == expected else {
            throw FileError(path: path, "header promises \(expected) data bytes but the file holds \(actual)"
                + (actual < expected ? " (truncated)" : ""))
        }
        return Array(bytes[headerSize...])
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
