import Foundation
import Network

/// The image transformations of the invariance study, on 28 × 28 images (row-major, y down).
/// Pixels that come from outside the image are 0.
public enum ImageTransform: Sendable, Equatable {
    /// Moves every pixel `rows` rows down (up when negative).
    case verticalShift(rows: Int)
    /// Enlarges by `factor` about the image's centre (13.5, 13.5), sampling bilinearly.
    case scale(factor: Double)
    /// Turns counterclockwise as displayed by `degrees` about the centre, sampling bilinearly.
    case rotation(degrees: Double)

    public func apply(to image: [Float]) -> [Float] {
        precondition(image.count == LeNet5.inputCount, "an image is 784 floats")
        let side = LeNet5.imageSide
        switch self {
        case .verticalShift(let rows):
            // Exact: whole rows move, no sampling.
            var shifted = [Float](repeating: 0, count: image.count)
            for y in max(0, rows)..<max(0, min(side, side + rows)) {
                shifted[(y * side)..<((y + 1) * side)] = image[((y - rows) * side)..<((y - rows + 1) * side)]
            }
            return shifted
        case .scale(let factor):
            precondition(factor > 0, "a scale factor must be positive")
            return Self.resample(image) { (Self.centre + $0 / factor, Self.centre + $1 / factor) }
        case .rotation(let degrees):
            // Each output pixel reads the input at its own position turned back, clockwise on
            // screen; y points down, which flips the signs of the sine terms.
            let angle = degrees * .pi / 180, (c, s) = (cos(angle), sin(angle))
            return Self.resample(image) { dy, dx in (Self.centre + c * dy + s * dx, Self.centre + c * dx - s * dy) }
        }
    }

    static let centre = Double(LeNet5.imageSide - 1) / 2

    /// Output pixel (y, x) is the input sampled bilinearly at `source(y − centre, x − centre)`.
    static func resample(_ image: [Float], source: (Double, Double) -> (y: Double, x: Double)) -> [Float] {
        let side = LeNet5.imageSide
        var output = [Float](repeating: 0, count: image.count)
        for y in 0..<side {
            for x in 0..<side {
                let (sy, sx) = source(Double(y) - centre, Double(x) - centre)
                output[y * side + x] = sample(image, y: sy, x: sx)
            }
        }
        return output
    }

    /// Bilinear interpolation of the four pixels around (y, x), each 0 outside the image.
    /// Coordinates within 1e-9 of a whole number are taken as whole, so that turns by multiples
    /// of 90° and a scale of 1 copy pixels exactly despite rounding in cos and sin.
    static func sample(_ image: [Float], y: Double, x: Double) -> Float {
        let side = LeNet5.imageSide
        func snap(_ v: Double) -> Double { abs(v - v.rounded()) < 1e-9 ? v.rounded() : v }
        let (y, x) = (snap(y), snap(x))
        let (y0, x0) = (Int(y.rounded(.down)), Int(x.rounded(.down)))
        let (fy, fx) = (Float(y - Double(y0)), Float(x - Double(x0)))
        func pixel(_ py: Int, _ px: Int) -> Float {
            (0..<side).contains(py) && (0..<side).contains(px) ? image[py * side + px] : 0
        }
        // Skipping zero weights keeps whole-number positions exact.
        var value = (1 - fy) * (1 - fx) * pixel(y0, x0)
        if fx > 0 { value += (1 - fy) * fx * pixel(y0, x0 + 1) }
        if fy > 0 { value += fy * (1 - fx) * pixel(y0 + 1, x0) }
        if fy > 0 && fx > 0 { value += fy * fx * pixel(y0 + 1, x0 + 1) }
        return value
    }
}
