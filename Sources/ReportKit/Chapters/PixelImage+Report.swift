import Graphics

/// How the report draws its 28 × 28 images.
extension PixelImage {
    /// A digit as printed: ink on paper, 0 white and 1 black.
    static func digit(_ pixels: [Float]) -> PixelImage {
        Colormap.ink(maximum: 1).image(width: 28, height: 28, values: pixels)
    }

    /// A signed reconstruction, around 0, limits at the 99th percentile of its non-zero magnitudes.
    static func reconstruction(_ values: [Float]) -> PixelImage {
        Colormap.diverging(limit: Colormap.percentileLimit(values)).image(width: 28, height: 28, values: values)
    }
}
