/// The structural similarity index of Wang, Bovik, Sheikh & Simoncelli (2004, eq. 13), computed as
/// scikit-image's `structural_similarity(a, b, win_size=7, data_range=2, gaussian_weights=False,
/// use_sample_covariance=True)` (K1 = 0.01, K2 = 0.03): for every 7 × 7 window lying wholly inside
/// the image (skimage filters the whole image, then crops (7 − 1)/2 pixels from each side before
/// averaging, which leaves exactly these), with means μ, sample variances σ² and covariance σab
/// (divided by 49 − 1),
///     SSIM = (2 μa μb + C1)(2 σab + C2) / ((μa² + μb² + C1)(σa² + σb² + C2)),
/// C1 = (K1 L)², C2 = (K2 L)², L the data range; the result is the mean over the windows.
public enum SSIM {
    /// SSIM of two images of `width` columns (row-major, equal shapes), in Double throughout.
    public static func index(_ a: [Double], _ b: [Double], width: Int, window: Int = 7, dataRange: Double = 2,
                             k1: Double = 0.01, k2: Double = 0.03) -> Double {
        precondition(a.count == b.count && width > 0 && a.count % width == 0, "SSIM: images of different shapes")
        let height = a.count / width
        precondition(window <= width && window <= height, "SSIM: the window is larger than the image")
        let c1 = (k1 * dataRange) * (k1 * dataRange), c2 = (k2 * dataRange) * (k2 * dataRange)
        let np = Double(window * window)
        // skimage: cov_norm · (E[ab] − E[a]E[b]) with cov_norm = NP / (NP − 1).
        let normalisation = np / (np - 1)
        // Window sums of a, b, a², b², ab (five planes): first along rows, then down the columns.
        let (rows, columns) = (height - window + 1, width - window + 1), plane = height * columns
        var across = [Double](repeating: 0, count: 5 * plane)
        for y in 0..<height {
            for left in 0..<columns {
                var (sa, sb, saa, sbb, sab) = (0.0, 0.0, 0.0, 0.0, 0.0)
                for x in left..<(left + window) {
                    let (p, q) = (a[y * width + x], b[y * width + x])
                    sa += p; sb += q; saa += p * p; sbb += q * q; sab += p * q
                }
                let at = y * columns + left
                (across[at], across[plane + at], across[2 * plane + at], across[3 * plane + at], across[4 * plane + at]) = (sa, sb, saa, sbb, sab)
            }
        }
        var total = 0.0
        for top in 0..<rows {
            for left in 0..<columns {
                var (sa, sb, saa, sbb, sab) = (0.0, 0.0, 0.0, 0.0, 0.0)
                for y in top..<(top + window) {
                    let at = y * columns + left
                    sa += across[at]; sb += across[plane + at]; saa += across[2 * plane + at]
                    sbb += across[3 * plane + at]; sab += across[4 * plane + at]
                }
                let (ma, mb) = (sa / np, sb / np)
                let va = normalisation * (saa / np - ma * ma), vb = normalisation * (sbb / np - mb * mb)
                let vab = normalisation * (sab / np - ma * mb)
                total += (2 * ma * mb + c1) * (2 * vab + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
            }
        }
        return total / Double(rows * columns)
    }

    /// `values` divided by their largest magnitude, into [−1, 1]; an image that is all zeros stays
    /// all zeros (there is nothing to scale).
    static func scaledByLargestMagnitude(_ values: [Float]) -> [Double] {
        let largest = values.reduce(0) { max($0, abs(Double($1))) }
        return largest > 0 ? values.map { Double($0) / largest } : values.map(Double.init)
    }

    /// The comparison the sanity checks make of two projections (1, 28, 28): each divided by its
    /// largest magnitude, then SSIM with a 7 × 7 window and data range 2.
    public static func ofProjections(_ a: [Float], _ b: [Float], width: Int = 28) -> Double {
        index(scaledByLargestMagnitude(a), scaledByLargestMagnitude(b), width: width)
    }
}
