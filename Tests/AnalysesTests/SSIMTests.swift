import Foundation
import Testing
@testable import Analyses

@Suite struct SSIMTests {
    @Test func anImageIsFullySimilarToItself() {
        let image = (0..<784).map { sin(Double($0)) }
        #expect(abs(SSIM.index(image, image, width: 28) - 1) <= 1e-12)
    }

    /// One 7 × 7 window, a = 0.5 everywhere and b = 0: no variance, so
    /// SSIM = C1 / (0.25 + C1) with C1 = (0.01 · 2)², by hand 0.0015974440894568690
    /// (skimage 0.26.0: 0.001597444089456869).
    @Test func flatWindowsByHand() {
        let c1 = 0.02 * 0.02
        let s = SSIM.index([Double](repeating: 0.5, count: 49), [Double](repeating: 0, count: 49), width: 7)
        #expect(abs(s - c1 / (0.25 + c1)) <= 1e-15, "SSIM = \(s)")
    }

    /// One window, a = i/48 for i = 0…48 and b = 1 − a: equal means 0.5, sample variance
    /// v = (49 · 50 / 12) / 48², covariance −v, so SSIM = (0.5 + C1)(C2 − 2v) / ((0.5 + C1)(2v + C2))
    /// ≈ −0.96018 by hand (skimage 0.26.0: −0.9601831595144263).
    @Test func anticorrelatedRampByHand() {
        let a = (0..<49).map { Double($0) / 48 }, b = a.map { 1 - $0 }
        let v = 49.0 * 50 / 12 / (48 * 48), c2 = 0.06 * 0.06
        let s = SSIM.index(a, b, width: 7)
        #expect(abs(s - (c2 - 2 * v) / (2 * v + c2)) <= 1e-12, "SSIM = \(s)")
        #expect(abs(s - -0.9601831595144263) <= 1e-12)
    }

    /// A 9 × 8 pair, so 3 × 2 windows are averaged (skimage crops its filtered map to them).
    /// a = sin(0.7 y + 1.3 x), b = 0.8 cos(0.4 y − 0.9 x); skimage 0.26.0
    /// `structural_similarity(a, b, win_size=7, data_range=2, gaussian_weights=False,
    /// use_sample_covariance=True)` = 0.03472493070664959. Tolerance 1e-12.
    @Test func averagesTheValidWindowsAsSkimage() {
        let a: [Double] = (0..<72).map { (i: Int) -> Double in sin(0.7 * Double(i / 8) + 1.3 * Double(i % 8)) }
        let b: [Double] = (0..<72).map { (i: Int) -> Double in 0.8 * cos(0.4 * Double(i / 8) - 0.9 * Double(i % 8)) }
        let s = SSIM.index(a, b, width: 8)
        #expect(abs(s - 0.03472493070664959) <= 1e-12, "SSIM = \(s)")
    }

    @Test func projectionsAreScaledByTheirLargestMagnitude() {
        #expect(SSIM.scaledByLargestMagnitude([-2, 1, 0.5]) == [-1, 0.5, 0.25])
        #expect(SSIM.scaledByLargestMagnitude([0, 0]) == [0, 0])
        // Scale does not matter; two blank projections are identical.
        let p = (0..<784).map { Float(sin(Double($0) * 0.37)) }
        #expect(abs(SSIM.ofProjections(p, p.map { 32 * $0 }) - 1) <= 1e-12)
        #expect(SSIM.ofProjections([Float](repeating: 0, count: 784), [Float](repeating: 0, count: 784)) == 1)
    }
}
