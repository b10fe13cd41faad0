import Analyses
import Deconvnet
import Graphics

/// How the report draws its 28 × 28 images and their crops.
extension PixelImage {
    /// A digit as printed: ink on paper, 0 white and 1 black.
    static func digit(_ pixels: [Float]) -> PixelImage {
        Colormap.ink(maximum: 1).image(width: 28, height: 28, values: pixels)
    }

    /// A signed reconstruction, around 0, limits at the 99th percentile of its non-zero magnitudes.
    static func reconstruction(_ values: [Float]) -> PixelImage {
        Colormap.diverging(limit: Colormap.percentileLimit(values)).image(width: 28, height: 28, values: values)
    }

    /// The receptive field of `unit` (y, x) of `layer`'s pooled map cut out of a 28 × 28 image:
    /// 6 × 6 for conv1, 16 × 16 for conv2; where the field passes the image border, the missing
    /// part is blank (0), so that every crop has the same size and place.
    static func crop(_ values: [Float], _ layer: ConvLayer, y: Int, x: Int, colormap: (([Float]) -> Colormap)) -> PixelImage {
        let (side, step) = layer == .conv1 ? (6, 2) : (16, 4)
        let (top, left) = (step * y - 2, step * x - 2)
        let cropped = (0..<(side * side)).map { i -> Float in
            let (row, column) = (top + i / side, left + i % side)
            return (0..<28).contains(row) && (0..<28).contains(column) ? values[row * 28 + column] : 0
        }
        return colormap(cropped).image(width: side, height: side, values: cropped)
    }

    /// A projected activation's crop, on its own symmetric scale.
    static func projectionCrop(_ p: ProjectedActivation) -> PixelImage {
        crop(p.reconstruction, p.layer, y: p.unitY, x: p.unitX) { .diverging(limit: Colormap.percentileLimit($0)) }
    }

    /// The input pixels the same activation sees.
    static func inputCrop(_ p: ProjectedActivation, image: [Float]) -> PixelImage {
        crop(image, p.layer, y: p.unitY, x: p.unitX) { _ in .ink(maximum: 1) }
    }
}
