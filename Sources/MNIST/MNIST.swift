import FileIO
import Foundation

/// The MNIST training and test splits, read from the four standard IDX files.
public struct MNIST: Sendable {
    public static let files = (
        trainImages: "train-images-idx3-ubyte.gz", trainLabels: "train-labels-idx1-ubyte.gz",
        testImages: "t10k-images-idx3-ubyte.gz", testLabels: "t10k-labels-idx1-ubyte.gz"
    )
    public static let checksumFile = "SHA256SUMS"

    public let train: Dataset
    public let test: Dataset
    /// SHA-256 of each file as read, by file name.
    public let checksums: [String: String]
    /// The files whose SHA-256 a `SHA256SUMS` beside them confirmed.
    public let verified: Set<String>

    /// Reads `directory`'s four MNIST files. When a `SHA256SUMS` file sits beside them, every file it
    /// lists must match it.
    public static func load(from directory: String) throws(FileError) -> MNIST {
        let expected = try expectedChecksums(in: directory)
        var checksums: [String: String] = [:]

        func read(_ name: String) throws(FileError) -> (path: String, bytes: [UInt8]) {
            let path = (directory as NSString).appendingPathComponent(name)
            let (raw, decoded) = try IDX.contents(of: path)
            let sum = SHA256.hex(raw)
            if let want = expected[name], want != sum {
                throw FileError(path: path, "SHA-256 is \(sum) but \(checksumFile) expects \(want)")
            }
            checksums[name] = sum
            return (path, decoded)
        }

        func split(_ imagesName: String, _ labelsName: String) throws(FileError) -> Dataset {
            let imageFile = try read(imagesName), labelFile = try read(labelsName)
            let images = try IDX.readImages(imageFile.bytes, path: imageFile.path)
            let labels = try IDX.readLabels(labelFile.bytes, path: labelFile.path)
            guard images.count == labels.count else {
                throw FileError(path: labelFile.path, "holds \(labels.count) labels but \(imagesName) holds \(images.count) images")
            }
            return Dataset(pixels: images.pixels, labels: labels)
        }

        let train = try split(files.trainImages, files.trainLabels)
        let test = try split(files.testImages, files.testLabels)
        return MNIST(train: train, test: test, checksums: checksums, verified: Set(checksums.keys).intersection(expected.keys))
    }

    /// Parses `SHA256SUMS` (`<hex>  <name>` lines) if present; an absent file means nothing to check.
    static func expectedChecksums(in directory: String) throws(FileError) -> [String: String] {
        let path = (directory as NSString).appendingPathComponent(checksumFile)
        guard FileSystem.exists(path) else { return [:] }
        let data = try FileSystem.read(path)
        var sums: [String: String] = [:]
        for (number, line) in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, fields[0].count == 64, fields[0].allSatisfy(\.isHexDigit) else {
                throw FileError(path: path, "line \(number + 1) is not '<sha256>  <file name>'")
            }
            let name = fields[1].hasPrefix("*") ? String(fields[1].dropFirst()) : fields[1]
            sums[name] = fields[0].lowercased()
        }
        return sums
    }
}
