import Deconvnet
import Network

/// The input pixels that a unit of a convolutional block's output depends on, clipped to the
/// image: worked out from every layer's kernel, stride and padding below the unit (for LeNet-5,
/// pool1 unit (y, x) sees rows 2y − 2 … 2y + 3, 6 × 6 unclipped, and pool2 unit (y, x) rows
/// 4y − 2 … 4y + 13, 16 × 16; the same for columns).
public struct ReceptiveField: Sendable, Equatable {
    /// Half-open, within the image.
    public let rows: Range<Int>
    public let columns: Range<Int>

    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }

    /// The field of unit (y, x) of `layer`'s block output in `network`.
    public init(network: Network, layer: ConvolutionalLayer, y: Int, x: Int) {
        precondition((0..<layer.outputShape[1]).contains(y) && (0..<layer.outputShape[2]).contains(x),
                     "\(layer.name) has no unit (\(y), \(x))")
        let (rows, columns) = Self.unclipped(network: network, layer: layer, y: y, x: x)
        self.init(rows: max(rows.lowerBound, 0)..<min(rows.upperBound + 1, network.imageHeight),
                  columns: max(columns.lowerBound, 0)..<min(columns.upperBound + 1, network.imageWidth))
    }

    /// The unclipped span of input rows (or columns) that `units` of layer `top`'s output see:
    /// each layer from `top` down widens it by its window and stride (a convolution's output o
    /// sees o·S − P … o·S − P + K − 1; a pooling's o·S … o·S + K − 1).
    static func inputSpan(of units: ClosedRange<Int>, network: Network, top: Int) -> ClosedRange<Int> {
        var span = units
        for i in (0...top).reversed() {
            switch network.layers[i] {
            case .convolution(let c):
                span = (span.lowerBound * c.stride - c.padding)...(span.upperBound * c.stride - c.padding + c.kernel - 1)
            case .maxPool(let p), .averagePool(let p):
                span = (span.lowerBound * p.stride)...(span.upperBound * p.stride + p.kernel - 1)
            default:
                break
            }
        }
        return span
    }

    /// `width` columns of `image` (row-major), cropped to the field.
    public func crop(_ image: [Float], width: Int) -> [Float] {
        precondition(image.count % width == 0 && image.count / width >= rows.upperBound && width >= columns.upperBound,
                     "the image is smaller than the field")
        return rows.flatMap { y in columns.map { x in image[y * width + x] } }
    }

    public func contains(y: Int, x: Int) -> Bool { rows.contains(y) && columns.contains(x) }

    /// The field of unit (y, x) of `layer`'s block output before clipping: a rectangle that may
    /// pass the border, of the same size for every unit of the layer (6 for LeNet-5's conv1, 16
    /// for its conv2).
    public static func unclipped(network: Network, layer: ConvolutionalLayer, y: Int, x: Int) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        (inputSpan(of: y...y, network: network, top: layer.outputLayer), inputSpan(of: x...x, network: network, top: layer.outputLayer))
    }

    /// The unclipped field's pixels of `image` (the network's input size), row-major, with 0
    /// where the field passes the border, so that every crop of a layer has the same size and the
    /// unit the same place. `side` is the field's height.
    public static func paddedCrop(_ image: [Float], network: Network, layer: ConvolutionalLayer, y: Int, x: Int) -> (values: [Float], side: Int) {
        precondition(image.count == network.inputCount, "an image is \(network.inputCount) floats")
        let (rows, columns) = unclipped(network: network, layer: layer, y: y, x: x)
        let (height, width) = (network.imageHeight, network.imageWidth)
        let values = rows.flatMap { r in columns.map { c in (0..<height).contains(r) && (0..<width).contains(c) ? image[r * width + c] : 0 } }
        return (values, rows.count)
    }
}
