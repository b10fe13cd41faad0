import Foundation
import Testing
@testable import MNIST

/// An IDX file's bytes: big-endian magic and sizes, then the payload.
func idx(magic: UInt32, sizes: [UInt32], payload: [UInt8]) -> [UInt8] {
    ([magic] + sizes).flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } + payload
}

func images(_ count: Int, rows: UInt32 = 28, columns: UInt32 = 28, payloadBytes: Int? = nil) -> [UInt8] {
    idx(magic: 2051, sizes: [UInt32(count), rows, columns],
        payload: (0..<(payloadBytes ?? count * Int(rows * columns))).map { UInt8($0 % 256) })
}

func labels(_ values: [UInt8], claimedCount: Int? = nil) -> [UInt8] {
    idx(magic: 2049, sizes: [UInt32(claimedCount ?? values.count)], payload: values)
}

/// A fresh folder holding the given files.
func folder(_ files: [String: [UInt8]]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mnist-\(UUID())").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: path).appendingPathComponent(name)) }
    return path
}

func expectError(_ phrase: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected an error containing '\(phrase)'", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)".contains(phrase), "\(error)", sourceLocation: sourceLocation)
        #expect(!"\(error)".contains("\n"), "errors are one line", sourceLocation: sourceLocation)
    }
}

@Suite struct IDXTests {
    @Test func readsImagesAndLabels() throws {
        let read = try IDX.readImages(images(2), path: "i")
        #expect(read.count == 2 && read.pixels.count == 2 * 784 && read.pixels[785] == 17)
        #expect(try IDX.readLabels(labels([3, 0, 9]), path: "l") == [3, 0, 9])
    }

    @Test func rejectsBadFiles() {
        expectError("i: truncated: 10 bytes") { _ = try IDX.readImages(Array(images(1).prefix(10)), path: "i") }
        expectError("wrong magic number 2049, expected 2051 for images") { _ = try IDX.readImages(labels(Array(0...7)), path: "i") }
        expectError("wrong magic number 2051, expected 2049 for labels") { _ = try IDX.readLabels(images(1), path: "l") }
        expectError("images are 28×27, expected 28×28") { _ = try IDX.readImages(images(1, columns: 27), path: "i") }
        expectError("header promises 1568 data bytes but the file holds 1000 (truncated)") {
            _ = try IDX.readImages(images(2, payloadBytes: 1000), path: "i")
        }
        expectError("header promises 4 data bytes but the file holds 3") { _ = try IDX.readLabels(labels([1, 2, 3], claimedCount: 4), path: "l") }
        expectError("label 12 at index 1 is not a digit 0–9") { _ = try IDX.readLabels(labels([1, 12]), path: "l") }
    }
}

@Suite struct LoaderTests {
    static let names = [MNIST.files.trainImages, MNIST.files.trainLabels, MNIST.files.testImages, MNIST.files.testLabels]

    func smallSet(trainLabels: [UInt8] = [1, 2, 3]) -> [String: [UInt8]] {
        // Plain IDX under the usual .gz names: the loader looks at the bytes, not the name.
        [Self.names[0]: images(3), Self.names[1]: labels(trainLabels), Self.names[2]: images(2), Self.names[3]: labels([7, 8])]
    }

    @Test func loadsPlainFilesAndRecordsChecksums() throws {
        let data = try MNIST.load(from: folder(smallSet()))
        #expect(data.train.count == 3 && data.test.count == 2 && data.test.labels == [7, 8])
        #expect(data.checksums[Self.names[1]] == SHA256.hex(labels([1, 2, 3])))
        #expect(data.train.classCounts == [0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    }

    @Test func rejectsMismatchedCountsMissingFilesAndBadChecksums() throws {
        expectError("holds 2 labels but train-images-idx3-ubyte.gz holds 3 images") {
            _ = try MNIST.load(from: folder(smallSet(trainLabels: [1, 2])))
        }
        var missing = smallSet()
        missing[Self.names[2]] = nil
        expectError("t10k-images-idx3-ubyte.gz: not found; the four MNIST files ship in the repository's Data/ folder") {
            _ = try MNIST.load(from: folder(missing))
        }
        var sums = smallSet()
        sums[MNIST.checksumFile] = Array("\(String(repeating: "0", count: 64))  \(Self.names[0])\n".utf8)
        expectError("train-images-idx3-ubyte.gz: SHA-256 is \(SHA256.hex(images(3))) but SHA256SUMS expects 0000") {
            _ = try MNIST.load(from: folder(sums))
        }
        var badSums = smallSet()
        badSums[MNIST.checksumFile] = Array("nonsense\n".utf8)
        expectError("SHA256SUMS: line 1 is not '<sha256>  <file name>'") { _ = try MNIST.load(from: folder(badSums)) }
    }

    @Test func rejectsTruncatedGzip() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let real = try [UInt8](Data(contentsOf: repository.appendingPathComponent("Data/\(MNIST.files.testLabels)")))
        expectError("l.gz: the compressed stream is truncated") { _ = try Gzip.decompress(Array(real.prefix(2000)), path: "l.gz") }
        #expect(try IDX.readLabels(Gzip.decompress(real, path: "l.gz"), path: "l").count == 10_000)
    }

    @Test func sha256KnownAnswer() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct DatasetTests {
    @Test func batchesAreBytesOver255() {
        let pixels = (0..<(2 * 784)).map { UInt8($0 % 256) }
        let data = Dataset(pixels: pixels, labels: [4, 5])
        let batch = data.images([1, 0])
        #expect(batch.count == 2 * 784)
        #expect(batch[0] == Float(pixels[784]) / 255 && batch[784 + 255] == 1 && batch[784] == 0)
        #expect(data.prefix(1).labels == [4] && data.prefix(9).count == 2)
    }
}

@Suite struct ClassBalanceTests {
    @Test func largestAndSmallestClass() {
        let labels: [UInt8] = [1, 1, 1, 7, 7, 7, 2, 3, 4, 5, 6, 8, 9, 0, 0]
        let data = Dataset(pixels: [UInt8](repeating: 0, count: labels.count * 784), labels: labels)
        #expect(data.largestClass == 1, "1 and 7 have three each: the lower label")
        #expect(data.smallestClass == 2, "2, 3, 4, 5, 6, 8 and 9 have one each: the lower label")
    }
}
