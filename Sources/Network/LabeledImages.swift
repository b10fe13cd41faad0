/// A set of 28 × 28 images with digit labels that the trainer can read batches from.
public protocol LabeledImages: Sendable {
    var labels: [UInt8] { get }
    /// Writes the images at `indices`, 784 floats each (pixel / 255), to `destination`. The
    /// indices come as a buffer, not as any collection, so that the call runs specialised code.
    func fill(_ destination: UnsafeMutablePointer<Float>, with indices: UnsafeBufferPointer<Int>)
}
