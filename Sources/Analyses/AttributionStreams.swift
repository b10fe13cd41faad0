import Foundation
import Network

/// The seeded random numbers of the attributions and their faithfulness: one SplitMix64 stream
/// per image and purpose, so that an image's noise and random orders depend only on the seed and
/// its test index, never on the batch it is computed in.
///
/// Stream state: `seed << 32 | purpose << 24 | index` (index < 2²⁴), purpose 1 for SmoothGrad's
/// noise and 2 for the random pixel orders. `Tests/Fixtures/make_attribution_fixtures.py`
/// re-implements both so that Captum sees the same noise.
public enum AttributionStreams {
    public enum Purpose: UInt64, Sendable {
        case smoothGradNoise = 1
        case randomOrders = 2
    }

    public static func generator(seed: UInt64, index: Int, purpose: Purpose) -> SplitMix64 {
        precondition((0..<(1 << 24)).contains(index), "a stream index is below 2^24")
        return SplitMix64(seed: seed << 32 | purpose.rawValue << 24 | UInt64(index))
    }

    /// `count` standard normal values from `random` by the Box–Muller transform, in pairs: with
    /// u₁ = (next() >> 11 + 1) · 2⁻⁵³ ∈ (0, 1] and u₂ = (next() >> 11) · 2⁻⁵³ ∈ [0, 1), r = √(−2 ln u₁),
    /// the pair is r cos 2πu₂, r sin 2πu₂, computed in Double and rounded to Float (an odd count
    /// drops the last sine).
    public static func normals(_ count: Int, from random: inout SplitMix64) -> [Float] {
        var values = [Float]()
        values.reserveCapacity(count + 1)
        while values.count < count {
            let u1 = (Double(random.next() >> 11) + 1) * 0x1p-53, u2 = Double(random.next() >> 11) * 0x1p-53
            let r = (-2 * log(u1)).squareRoot(), angle = 2 * Double.pi * u2
            values.append(Float(r * cos(angle)))
            values.append(Float(r * sin(angle)))
        }
        return Array(values.prefix(count))
    }

    /// SmoothGrad's noise for one image: `samples` copies of `pixels` normal values, copy by copy,
    /// in pixel units (multiplied by σ by the caller).
    public static func smoothGradNoise(seed: UInt64, index: Int, samples: Int, pixels: Int) -> [Float] {
        var random = generator(seed: seed, index: index, purpose: .smoothGradNoise)
        return normals(samples * pixels, from: &random)
    }

    /// `count` random orders of `pixels` pixels for one image, one after another, each a
    /// Fisher–Yates shuffle of 0..<pixels: for i from pixels − 1 down to 1, swap i with
    /// next() mod (i + 1).
    public static func randomOrders(seed: UInt64, index: Int, count: Int, pixels: Int) -> [[Int]] {
        var random = generator(seed: seed, index: index, purpose: .randomOrders)
        return (0..<count).map { _ in
            var order = Array(0..<pixels)
            for i in stride(from: pixels - 1, to: 0, by: -1) {
                order.swapAt(i, Int(random.next() % UInt64(i + 1)))
            }
            return order
        }
    }
}
