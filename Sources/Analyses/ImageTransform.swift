import Foundation
import Network

/// The image transformations of the invariance study, on images of any size (row-major, y down),
/// about the image's centre.
/// Pixels that come from outside the image are 0.
public enum ImageTransform: Sendable, Equatable {
    /// Moves every pixel `rows` rows down (up when negative).
    case verticalShift(rows: Int)
    /// Enlarges by `factor` about the image's centre (13.5, 13.5), sampling bilinearly.
    case scale(factor: Double)
    /// Turns counterclockwise as displayed by `degrees` about the centre, sampling bilinearly.
    case rotation(degrees: Double)

    /// `image` of `width` columns (by default a square image's side).
    public func apply(to image: [Float], width: Int? = nil) -> [Float] {
        let width = width ?? Int(Double(image.count).squareRoot().rounded())
        precondition(width > 0 && image.count % width == 0, "an image of \(image.count) pixels is not \(width) wide")
        let height = image.count / width
        switch self {
        case .verticalShift(let rows):
            // Exact: whole rows move, no sampling.
            var shifted = [Float](repeating: 0, count: image.count)
            for y in max(0, rows)..<max(0, min(height, height + rows)) {
                shifted[(y * width)..<((y + 1) * width)] = image[((y - rows) * width)..<((y - rows + 1) * width)]
            }
            return shifted
        case .scale(let factor):
            precondition(factor > 0, "a scale factor must be positive")
            return Self.resample(image, width: width) { cy, cx, dy, dx in (cy + dy / factor, cx + dx / factor) }
        case .rotation(let degrees):
            // Each output pixel reads the input at its own position turned back, clockwise on
            // screen; y points down, which flips the signs of the sine terms.
            let angle = degrees * .pi / 180, (c, s) = (cos(angle), sin(angle))
            return Self.resample(image, width: width) { cy, cx, dy, dx in (cy + c * dy + s * dx, cx + c * dx - s * dy) }
        }
    }

    /// Output pixel (y, x) is the input sampled bilinearly at `source(cy, cx, y − cy, x − cx)`,
    /// (cy, cx) the image's centre ((13.5, 13.5) for 28 × 28).
    static func resample(_ image: [Float], width: Int,
                         source: (Double, Double, Double, Double) -> (y: Double, x: Double)) -> [Float] {
        let height = image.count / width
        let (cy, cx) = (Double(height - 1) / 2, Double(width - 1) / 2)
        var output = [Float](repeating: 0, count: image.count)
        for y in 0..<height {
            for x in 0..<width {
                let (sy, sx) = source(cy, cx, Double(y) - cy, Double(x) - cx)
                output[y * width + x] = sample(image, width: width, y: sy, x: sx)
            }
        }
        return output
    }

    /// Bilinear interpolation of the four pixels around (y, x), each 0 outside the image.
    /// Coordinates within 1e-9 of a whole number are taken as whole, so that turns by multiples
    /// of 90° and a scale of 1 copy pixels exactly despite rounding in cos and sin.
    static func sample(_ image: [Float], width: Int? = nil, y: Double, x: Double) -> Float {
        let width = width ?? Int(Double(image.count).squareRoot().rounded())
        let height = image.count / width
        func snap(_ v: Double) -> Double { abs(v - v.rounded()) < 1e-9 ? v.rounded() : v }
        let (y, x) = (snap(y), snap(x))
        let (y0, x0) = (Int(y.rounded(.down)), Int(x.rounded(.down)))
        let (fy, fx) = (Float(y - Double(y0)), Float(x - Double(x0)))
        func pixel(_ py: Int, _ px: Int) -> Float {
            (0..<height).contains(py) && (0..<width).contains(px) ? image[py * width + px] : 0
        }
        // Skipping zero weights keeps whole-number positions exact.
        var value = (1 - fy) * (1 - fx) * pixel(y0, x0)
        if fx > 0 { value += (1 - fy) * fx * pixel(y0, x0 + 1) }
        if fy > 0 { value += fy * (1 - fx) * pixel(y0 + 1, x0) }
        if fy > 0 && fx > 0 { value += fy * fx * pixel(y0 + 1, x0 + 1) }
        return value
    }
}
