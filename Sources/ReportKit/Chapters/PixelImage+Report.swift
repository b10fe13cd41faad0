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

    /// A projected activation's receptive field, on its own symmetric scale; blank past the border.
    static func projectionCrop(_ p: ProjectedActivation) -> PixelImage {
        let crop = ReceptiveField.paddedCrop(p.reconstruction, p.layer, y: p.unitY, x: p.unitX)
        return Colormap.diverging(limit: Colormap.percentileLimit(crop.values)).image(width: crop.side, height: crop.side, values: crop.values)
    }

    /// The input pixels the same activation sees.
    static func inputCrop(_ p: ProjectedActivation, image: [Float]) -> PixelImage {
        let crop = ReceptiveField.paddedCrop(image, p.layer, y: p.unitY, x: p.unitX)
        return Colormap.ink(maximum: 1).image(width: crop.side, height: crop.side, values: crop.values)
    }
}
