import Deconvnet
import Foundation
import Network

/// Zeiler & Fergus's Fig. 7: a grey square slides over a digit, and for every position of its
/// centre we record (b) the total activation of the map of the last convolutional layer (LeNet-5's
/// conv2) that is strongest on the unoccluded image, (d) the probability of the digit's class and (e) the most probable label; (c) is that
/// map's projection on the unoccluded image.
public struct Occlusion: Sendable {
    /// The square's side.
    public static let patch = 7

    public struct Digit: Sendable {
        public let image: DigitImage
        /// The last convolutional layer, and its map with the largest total block-output
        /// activation on the unoccluded image (of equal totals the first).
        public let layer: ConvolutionalLayer
        public let map: Int
        /// H × W each, indexed by the square's centre (row-major).
        public let activation: [Float]
        public let probability: [Float]
        public let label: [Int]
        /// The unoccluded image's measures, for comparison.
        public let unoccludedActivation: Float
        public let unoccludedProbability: Float
        /// (c): `map`'s strongest activation on the unoccluded image, projected to pixel space.
        public let projection: ProjectedActivation
    }

    /// The square's grey, in the network's input scale.
    public let fill: Float
    public let digits: [Digit]
    /// The images' size.
    public let imageHeight: Int, imageWidth: Int

    /// `fill` is the training set's mean pixel value, as in the paper (`meanPixel`; about 0.1307).
    /// One batched pass of 785 images per digit: the unoccluded image and one per centre.
    public init(network: Network, digits images: [DigitImage], fill: Float, threads: Int = 2) {
        precondition(Set(images.map(\.digit)).count == images.count, "each digit may appear once")
        self.fill = fill
        let (height, width, pixels) = (network.imageHeight, network.imageWidth, network.inputCount)
        (imageHeight, imageWidth) = (height, width)
        let layer = network.convolutionalLayers.last!, plane = layer.mapPlane, maps = layer.maps
        digits = images.map { d in
            precondition(d.image.count == pixels, "an image is \(pixels) floats")
            var batch = d.image
            batch.reserveCapacity((1 + pixels) * pixels)
            for r in 0..<height {
                for c in 0..<width { batch += Self.occlude(d.image, row: r, column: c, fill: fill, height: height, width: width) }
            }
            let pass = network.forward(images: batch, keeping: [layer.outputLayer], threads: threads)
            let output = pass.outputs[layer.outputLayer]!
            // Total of each map of the layer in image i.
            func total(_ i: Int, map: Int) -> Float {
                let start = (i * maps + map) * plane
                return output[start..<(start + plane)].reduce(0, +)
            }
            let totals = (0..<maps).map { total(0, map: $0) }
            let map = totals.indices.max { totals[$0] < totals[$1] }!
            let classes = network.classes
            func mostProbable(_ i: Int) -> Int {
                let row = pass.logProbabilities[(i * classes)..<((i + 1) * classes)]
                return row.indices.max { row[$0] < row[$1] }! - i * classes
            }
            return Digit(
                image: d, layer: layer, map: map,
                activation: (1...pixels).map { total($0, map: map) },
                probability: (1...pixels).map { exp(pass.logProbabilities[$0 * classes + d.digit]) },
                label: (1...pixels).map(mostProbable),
                unoccludedActivation: totals[map], unoccludedProbability: exp(pass.logProbabilities[d.digit]),
                projection: ProjectedActivation.project([(layer, map, 0)], network: network, images: d.image, threads: threads)[0]
                    .with(testIndex: d.testIndex))
        }
    }

    /// The pixels the square centred on (row, column) covers: |y − row| ≤ 3 and |x − column| ≤ 3,
    /// clipped to the `height` × `width` image.
    public static func covered(row: Int, column: Int, height: Int = 28, width: Int = 28) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        let reach = patch / 2
        return (max(row - reach, 0)...min(row + reach, height - 1), max(column - reach, 0)...min(column + reach, width - 1))
    }

    /// `image` (`height` × `width`) with the square centred on (row, column) set to `fill`.
    public static func occlude(_ image: [Float], row: Int, column: Int, fill: Float, height: Int = 28, width: Int = 28) -> [Float] {
        var occluded = image
        let (rows, columns) = covered(row: row, column: column, height: height, width: width)
        for y in rows { for x in columns { occluded[y * width + x] = fill } }
        return occluded
    }

    /// The mean of a set of images given as bytes (0 … 255), in the network's input scale.
    public static func meanPixel(_ bytes: [UInt8]) -> Float {
        precondition(!bytes.isEmpty, "no pixels")
        // Wrapping additions vectorise (a checked reduce took 35 ms over the test set); the sum
        // of any real image set is far below Int.max.
        var total = 0
        for byte in bytes { total &+= Int(byte) }
        return Float(Double(total) / Double(bytes.count) / 255)
    }

    /// `occlusion.safetensors`: per digit `digit{d}.activation` and `digit{d}.probability`
    /// (H, W) and `digit{d}.label` (H, W, I64); metadata `fill`, `patch` and `digit{d}.map`.
    public func safetensors(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata.merge(digits.map(\.image).metadata) { $1 }
        file.metadata["fill"] = "\(fill)"
        file.metadata["patch"] = "\(Self.patch)"
        file.metadata["activation"] = "sum of the pooled \(digits.first?.layer.name ?? "conv") map strongest on the unoccluded image"
        file.metadata["probability"] = "of the digit's class"
        let shape = [imageHeight, imageWidth]
        for d in digits {
            let key = d.image.key
            file.metadata["\(key).map"] = "\(d.map)"
            file["\(key).activation"] = .init(shape: shape, values: d.activation)
            file["\(key).probability"] = .init(shape: shape, values: d.probability)
            file["\(key).label"] = .init(shape: shape, integers: d.label.map(Int64.init))
        }
        return file
    }
}
