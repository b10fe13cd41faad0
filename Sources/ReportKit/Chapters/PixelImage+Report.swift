import Analyses
import Deconvnet
import Graphics
import Network

/// How the report draws its images (square, 28 × 28 for MNIST) and their crops.
extension PixelImage {
    /// The side of a square image of `count` pixels.
    static func side(_ count: Int) -> Int { Int(Double(count).squareRoot().rounded()) }

    /// A digit as printed: ink on paper, 0 white and 1 black.
    static func digit(_ pixels: [Float]) -> PixelImage {
        let side = side(pixels.count)
        return Colormap.ink(maximum: 1).image(width: side, height: side, values: pixels)
    }

    /// A signed reconstruction, around 0, limits at the 99th percentile of its non-zero magnitudes.
    static func reconstruction(_ values: [Float]) -> PixelImage {
        let side = side(values.count)
        return Colormap.diverging(limit: Colormap.percentileLimit(values)).image(width: side, height: side, values: values)
    }

    /// A projected activation's receptive field, on its own symmetric scale; blank past the border.
    static func projectionCrop(_ p: ProjectedActivation, network: Network) -> PixelImage {
        let crop = ReceptiveField.paddedCrop(p.reconstruction, network: network, layer: p.layer, y: p.unitY, x: p.unitX)
        return Colormap.diverging(limit: Colormap.percentileLimit(crop.values)).image(width: crop.side, height: crop.side, values: crop.values)
    }

    /// The input pixels the same activation sees.
    static func inputCrop(_ p: ProjectedActivation, image: [Float], network: Network) -> PixelImage {
        let crop = ReceptiveField.paddedCrop(image, network: network, layer: p.layer, y: p.unitY, x: p.unitX)
        return Colormap.ink(maximum: 1).image(width: crop.side, height: crop.side, values: crop.values)
    }
}
