import Foundation
import Network

extension ExplorerPage {
    /// A tensor as the page reads it: its dtype, shape, and its little-endian bytes in base64.
    struct Tensor: Encodable {
        let dtype: String
        let shape: [Int]
        let data: String

        init(shape: [Int], floats: some Collection<Float>) {
            var bytes = [UInt8]()
            bytes.reserveCapacity(floats.count * 4)
            for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            (dtype, self.shape, data) = ("F32", shape, Data(bytes).base64EncodedString())
        }

        init(shape: [Int], bytes: [UInt8]) {
            (dtype, self.shape, data) = ("U8", shape, Data(bytes).base64EncodedString())
        }
    }

    struct Images: Encodable {
        let indices: [Int]
        let labels: [Int]
        /// (n, 28, 28).
        let pixels: Tensor
    }

    /// Everything the script reads: the weights under PyTorch's names, the images, and for each
    /// map its top images and the report's digits, as test indices.
    struct Embedded: Encodable {
        let model: [String: Tensor]
        let images: Images
        let top: [[Int]]
        let report: [Int]
    }

    /// The embedded data as JSON, with sorted keys so that the same inputs give the same page.
    /// Base64 and numbers hold no `<`, so the JSON can stand inside a script element.
    func embeddedJSON() -> String {
        let side = LeNet5.imageSide
        let embedded = Embedded(
            model: Dictionary(uniqueKeysWithValues: LeNet5.Parameter.allCases.map { ($0.name, Tensor(shape: $0.shape, floats: model[$0])) }),
            images: Images(indices: images.map(\.index), labels: images.map(\.label),
                           pixels: Tensor(shape: [images.count, side, side], bytes: images.flatMap(\.pixels))),
            top: topImages, report: reportImages)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(embedded), as: UTF8.self)
    }
}
