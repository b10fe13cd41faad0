import Deconvnet
import Network

/// The input pixels that a unit of a max-pool output depends on, clipped to the 28 × 28 image:
/// for pool1 unit (y, x) rows 2y − 2 … 2y + 3 (6 × 6 unclipped), for pool2 unit (y, x) rows
/// 4y − 2 … 4y + 13 (16 × 16), and the same for columns.
public struct ReceptiveField: Sendable, Equatable {
    /// Half-open, within 0..<28.
    public let rows: Range<Int>
    public let columns: Range<Int>

    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }

    /// The field of unit (y, x) of `layer`'s max-pool output, worked out from the layers' kernels,
    /// strides and padding rather than written down, so that it follows the architecture.
    public init(_ layer: ConvLayer, y: Int, x: Int) {
        precondition((0..<layer.pool.outputHeight).contains(y) && (0..<layer.pool.outputWidth).contains(x),
                     "\(layer) has no pooled unit (\(y), \(x))")
        let side = LeNet5.imageSide
        let (rows, columns) = (Self.inputSpan(of: y...y, below: layer), Self.inputSpan(of: x...x, below: layer))
        self.init(rows: max(rows.lowerBound, 0)..<min(rows.upperBound + 1, side),
                  columns: max(columns.lowerBound, 0)..<min(columns.upperBound + 1, side))
    }

    /// The unclipped span of input rows (or columns) that `units` of `layer`'s pool output see.
    static func inputSpan(of units: ClosedRange<Int>, below layer: ConvLayer) -> ClosedRange<Int> {
        let window = MaxPool2D.window
        // The pool's window covers these conv outputs; each conv output o sees o·s − p … o·s − p + k − 1.
        let outputs = (units.lowerBound * window)...(units.upperBound * window + window - 1)
        let conv = layer.conv
        let inputs = (outputs.lowerBound * conv.stride - conv.padding)...(outputs.upperBound * conv.stride - conv.padding + conv.kernel - 1)
        return layer == .conv1 ? inputs : inputSpan(of: inputs, below: .conv1)
    }

    /// Rows × columns pixels of a 28 × 28 `image`, row-major.
    public func crop(_ image: [Float]) -> [Float] {
        precondition(image.count == LeNet5.inputCount, "an image is 784 floats")
        return rows.flatMap { y in columns.map { x in image[y * LeNet5.imageSide + x] } }
    }

    public func contains(y: Int, x: Int) -> Bool { rows.contains(y) && columns.contains(x) }

    /// The field of unit (y, x) of `layer`'s pooled map before clipping: a square that may pass
    /// the border, of the same side for every unit of the layer (6 for conv1, 16 for conv2).
    public static func unclipped(_ layer: ConvLayer, y: Int, x: Int) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        (inputSpan(of: y...y, below: layer), inputSpan(of: x...x, below: layer))
    }

    /// The unclipped field's pixels of a 28 × 28 `image`, row-major, with 0 where the field passes
    /// the border, so that every crop of a layer has the same size and the unit the same place.
    public static func paddedCrop(_ image: [Float], _ layer: ConvLayer, y: Int, x: Int) -> (values: [Float], side: Int) {
        precondition(image.count == LeNet5.inputCount, "an image is 784 floats")
        let (rows, columns) = unclipped(layer, y: y, x: x), side = LeNet5.imageSide
        let values = rows.flatMap { r in columns.map { c in (0..<side).contains(r) && (0..<side).contains(c) ? image[r * side + c] : 0 } }
        return (values, rows.count)
    }
}
