import Foundation
import Testing
@testable import Analyses
import Network
import MNIST

/// Deletion and insertion recomputed independently, one image and one step at a time, with the
/// orders and the random streams written out again here.
@Suite struct FaithfulnessTests {
    static let network = try! AttributionTests.committed()
    static let images = AttributionTests.test.images([0, 1])
    static let attributions = ClassAttributions(network: network, images: images, indices: [0, 1], seed: 1)
    static let faithfulness = Faithfulness(network: network, images: images, attributions: attributions, seed: 1)

    /// p_c of one image on its own.
    static func score(_ image: [Float], _ c: Int) -> Float { exp(network.forward(images: image, threads: 1).logProbabilities[c]) }

    /// The 29 deletion and insertion scores of `order`, image by image.
    static func curves(_ image: [Float], order: [Int], _ c: Int) -> (deletion: [Float], insertion: [Float]) {
        var deletion: [Float] = [], insertion: [Float] = []
        for k in 0...28 {
            var deleted = image, inserted = [Float](repeating: 0, count: 784)
            for p in order.prefix(28 * k) { deleted[p] = 0; inserted[p] = image[p] }
            deletion.append(score(deleted, c))
            insertion.append(score(inserted, c))
        }
        return (deletion, insertion)
    }

    /// Highest first, ties to the lower index: sorted as (value, −index) pairs, descending.
    static func order(_ values: [Float]) -> [Int] {
        values.enumerated().map { (value: $0.element, index: $0.offset) }
            .sorted { ($0.value, -$0.index) > ($1.value, -$1.index) }.map(\.index)
    }

    @Test func methodCurvesAreRecomputedStepByStep() {
        let f = Self.faithfulness
        #expect(f.fractions == (0...28).map { Double($0) / 28 })
        var worst: Float = 0
        for i in 0..<2 {
            let image = Array(Self.images[(i * 784)..<((i + 1) * 784)]), c = f.classes[i]
            for method in [AttributionMethod.gradient, .gradCAM, .occlusion] {
                let again = Self.curves(image, order: Self.order(Self.attributions.attribution(method, image: i)), c)
                for (mine, theirs) in [(f.curve(\.deletion, method.rawValue, image: i), again.deletion),
                                       (f.curve(\.insertion, method.rawValue, image: i), again.insertion)] {
                    worst = max(worst, zip(mine, theirs).map { abs($0 - $1) }.max()!)
                }
            }
        }
        print("deletion and insertion curves recomputed one step at a time: largest difference \(worst) (tolerance 0)")
        #expect(worst == 0)
    }

    /// The random baseline: ten Fisher–Yates shuffles from the image's stream, averaged.
    @Test func randomBaselineIsTheMeanOfTenSeededOrders() {
        let f = Self.faithfulness, i = 1
        let image = Array(Self.images[784..<1568]), c = f.classes[i]
        var random = SplitMix64(seed: 1 << 32 | 2 << 24 | 1)
        var deletion = [Double](repeating: 0, count: 29), insertion = [Double](repeating: 0, count: 29)
        for _ in 0..<10 {
            var order = Array(0..<784)
            for j in (1..<784).reversed() { order.swapAt(j, Int(random.next() % UInt64(j + 1))) }
            let curves = Self.curves(image, order: order, c)
            for k in 0...28 { deletion[k] += Double(curves.deletion[k]); insertion[k] += Double(curves.insertion[k]) }
        }
        #expect(f.curve(\.deletion, "random", image: i) == deletion.map { Float($0 / 10) })
        #expect(f.curve(\.insertion, "random", image: i) == insertion.map { Float($0 / 10) })
    }

    @Test func curvesShareTheirEnds() {
        let f = Self.faithfulness
        for i in 0..<2 {
            let whole = Self.score(Array(Self.images[(i * 784)..<((i + 1) * 784)]), f.classes[i])
            let blank = Self.score([Float](repeating: 0, count: 784), f.classes[i])
            for key in Faithfulness.keys {
                let (d, n) = (f.curve(\.deletion, key, image: i), f.curve(\.insertion, key, image: i))
                #expect(d.first == whole && n.last == whole && d.last == blank && n.first == blank, "\(key), image \(i)")
            }
        }
    }

    @Test func areaIsTheTrapezoidRule() {
        let fractions = (0...28).map { Double($0) / 28 }
        #expect(Faithfulness.area([Float](repeating: 1, count: 29), fractions: fractions) == 1)
        #expect(abs(Faithfulness.area((0...28).map { Float(28 - $0) / 28 }, fractions: fractions) - 0.5) < 1e-7)
        // numpy.trapz([0.75, 0.5, 0.125], [0, 0.25, 1]) = 0.15625 + 0.234375
        #expect(Faithfulness.area([0.75, 0.5, 0.125], fractions: [0, 0.25, 1]) == 0.390625)
    }

    @Test func orderPutsTiesAndNaNWhereItSays() {
        #expect(Faithfulness.order([0, 2, -0.0, 2, .nan, -1]) == [1, 3, 0, 2, 5, 4])
    }

    /// An image's curves do not depend on the images computed with it, nor on the threads.
    @Test func sameBitsAlone() {
        let image = Array(Self.images[784..<1568])
        let alone = Faithfulness(network: Self.network, images: image,
                                 attributions: ClassAttributions(network: Self.network, images: image, indices: [1], seed: 1, threads: 1),
                                 seed: 1, threads: 1)
        for key in Faithfulness.keys {
            #expect(alone.deletion[key]!.map(\.bitPattern) == Self.faithfulness.curve(\.deletion, key, image: 1).map(\.bitPattern))
            #expect(alone.insertion[key]!.map(\.bitPattern) == Self.faithfulness.curve(\.insertion, key, image: 1).map(\.bitPattern))
        }
    }
}
