import Foundation
import Network

/// Deletion and insertion (Petsiuk et al., 2018, "RISE"): how fast the predicted class's
/// probability falls as the pixels an attribution ranks highest are blanked, and how fast it
/// rises as they are restored into a blank image.
///
/// The pixels are ordered by attribution, highest first, ties to the lower index. **Deletion**
/// sets the first 28k of them to blank paper (0 in pixels) and **insertion** restores them into a
/// blank image, for k = 0 … 28 (28 steps of 28 pixels on a 28 × 28 image; of ⌈pixels / 28⌉ in
/// general, the last step clipped). The score at each of the 29 points is softmax p_c, the
/// engine's exp(log p_c) in Float; the area under the curve is the trapezoid rule over the
/// fraction of pixels changed, summed in Double from k = 0. Deletion's first and insertion's last
/// point are the image itself, deletion's last and insertion's first the blank image. Beside the
/// methods, the **random order** baseline is the pointwise mean (in Double, orders in turn) of
/// the curves of 10 seeded random orders per image (`AttributionStreams.randomOrders`), its area
/// that of the mean curve.
public struct Faithfulness: Sendable {
    public static let steps = 28
    public static let randomOrders = 10
    /// The random-order baseline's key beside the methods' names.
    public static let randomKey = "random"
    /// The methods' names, then `random`.
    public static let keys = AttributionMethod.allCases.map(\.rawValue) + [randomKey]

    /// Test indices and the class explained, per image.
    public let indices: [Int]
    public let classes: [Int]
    /// The fraction of pixels changed at each point (29).
    public let fractions: [Double]
    /// Per key, count × 29 scores, image by image.
    public let deletion: [String: [Float]]
    public let insertion: [String: [Float]]

    public var count: Int { indices.count }
    public var points: Int { fractions.count }

    /// The curves of every method of `attributions` and of the random orders, for `images`
    /// (pixels, byte / 255), whose attributions `attributions` holds.
    public init(network: Network, images: [Float], attributions: ClassAttributions, seed: UInt64, threads: Int = 2) {
        let pixels = network.inputCount, n = attributions.count
        precondition(images.count == n * pixels, "one image per attribution")
        let stepSize = (pixels + Self.steps - 1) / Self.steps
        let changed = (0...Self.steps).map { min(pixels, $0 * stepSize) }
        var deletion = [String: [Float]](), insertion = [String: [Float]]()
        for key in Self.keys {
            deletion[key] = []
            insertion[key] = []
        }
        let group = 8
        for start in stride(from: 0, to: n, by: group) {
            let end = min(start + group, n)
            let orders = parallelMap(end - start, threads: threads) { j in
                AttributionMethod.allCases.map { Self.order(attributions.attribution($0, image: start + j)) }
                    + AttributionStreams.randomOrders(seed: seed, index: attributions.indices[start + j], count: Self.randomOrders,
                                                      pixels: pixels)
            }
            let curves = Self.curves(network, images: Array(images[(start * pixels)..<(end * pixels)]),
                                     classes: Array(attributions.classes[start..<end]), orders: orders, changed: changed, threads: threads)
            for image in curves {
                for (m, method) in AttributionMethod.allCases.enumerated() {
                    deletion[method.rawValue]! += image.deletion[m]
                    insertion[method.rawValue]! += image.insertion[m]
                }
                let random = AttributionMethod.allCases.count..<image.deletion.count
                deletion[Self.randomKey]! += Self.mean(image.deletion[random])
                insertion[Self.randomKey]! += Self.mean(image.insertion[random])
            }
        }
        self.init(indices: attributions.indices, classes: attributions.classes, fractions: changed.map { Double($0) / Double(pixels) },
                  deletion: deletion, insertion: insertion)
    }

    init(indices: [Int], classes: [Int], fractions: [Double], deletion: [String: [Float]], insertion: [String: [Float]]) {
        self.indices = indices
        self.classes = classes
        self.fractions = fractions
        self.deletion = deletion
        self.insertion = insertion
    }

    /// The pixels by attribution, highest first, ties (and −0 against 0) to the lower index; NaN
    /// counts as lowest.
    public static func order(_ attribution: [Float]) -> [Int] {
        let values = attribution.map { $0.isNaN ? -Float.infinity : $0 }
        return values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
    }

    /// Image `i`'s curve.
    public func curve(_ kind: KeyPath<Faithfulness, [String: [Float]]>, _ key: String, image i: Int) -> [Float] {
        Array(self[keyPath: kind][key]![(i * points)..<((i + 1) * points)])
    }

    /// The trapezoid area under each image's curve over `fractions`.
    public func areas(_ kind: KeyPath<Faithfulness, [String: [Float]]>, _ key: String) -> [Double] {
        (0..<count).map { Self.area(curve(kind, key, image: $0), fractions: fractions) }
    }

    public func deletionAreas(_ key: String) -> [Double] { areas(\.deletion, key) }
    public func insertionAreas(_ key: String) -> [Double] { areas(\.insertion, key) }

    /// Σₖ (xₖ₊₁ − xₖ)(sₖ + sₖ₊₁) / 2 in Double, k ascending.
    public static func area(_ scores: [Float], fractions: [Double]) -> Double {
        precondition(scores.count == fractions.count)
        var area = 0.0
        for k in 0..<(scores.count - 1) {
            area += (fractions[k + 1] - fractions[k]) * (Double(scores[k]) + Double(scores[k + 1])) / 2
        }
        return area
    }

    /// The pointwise mean of some curves, summed in Double in their order.
    static func mean(_ curves: ArraySlice<[Float]>) -> [Float] {
        guard let first = curves.first else { return [] }
        return first.indices.map { k in Float(curves.reduce(0.0) { $0 + Double($1[k]) } / Double(curves.count)) }
    }

    /// Every order's deletion and insertion curves for a few images: one batched pass over, per
    /// image, the image, the blank image, then each order's deletion images k = 1 … 27 and its
    /// insertion images k = 1 … 27, leaving out every step that changes no pixel (it deletes
    /// pixels that are already 0, or inserts pixels that are 0): that step's image is the step
    /// before's, and so is its score, bit for bit.
    private static func curves(_ network: Network, images x: [Float], classes: [Int], orders: [[[Int]]], changed: [Int],
                               threads: Int) -> [(deletion: [[Float]], insertion: [[Float]])] {
        let pixels = network.inputCount, g = classes.count, inner = changed.count - 2
        // Per image and order, whether each inner step changes the image (the same test for deletion and insertion).
        let changes: [[[Bool]]] = (0..<g).map { (i: Int) -> [[Bool]] in
            orders[i].map { (order: [Int]) -> [Bool] in
                (1...inner).map { (k: Int) -> Bool in order[changed[k - 1]..<changed[k]].contains { (p: Int) -> Bool in x[i * pixels + p] != 0 } }
            }
        }
        let rows = changes.map { 2 + 2 * $0.reduce(0) { $0 + $1.filter { $0 }.count } }
        let starts = rows.reduce(into: [0]) { $0.append($0.last! + $1) }
        var batch = [Float](repeating: 0, count: starts.last! * pixels)
        batch.withUnsafeMutableBufferPointer { batch in
            let shared = UncheckedBuffer(batch)
            parallelFor(g, threads: threads) { i in
                let batch = shared.buffer, image = Array(x[(i * pixels)..<((i + 1) * pixels)])
                var row = starts[i] * pixels
                func put(_ values: [Float]) {
                    for p in 0..<pixels { batch[row + p] = values[p] }
                    row += pixels
                }
                put(image)
                row += pixels   // the blank image: already zeros
                for (o, order) in orders[i].enumerated() {
                    var deleted = image, inserted = [Float](repeating: 0, count: pixels)
                    for k in 1...inner where changes[i][o][k - 1] {
                        for p in order[changed[k - 1]..<changed[k]] { deleted[p] = 0 }
                        put(deleted)
                    }
                    for k in 1...inner where changes[i][o][k - 1] {
                        for p in order[changed[k - 1]..<changed[k]] { inserted[p] = image[p] }
                        put(inserted)
                    }
                }
            }
        }
        let logProbabilities = network.forward(images: batch, threads: threads).logProbabilities, k = network.classes
        return (0..<g).map { i in
            let score = { (j: Int) in exp(logProbabilities[(starts[i] + j) * k + classes[i]]) }
            let (whole, blank) = (score(0), score(1))
            var deletion: [[Float]] = [], insertion: [[Float]] = []
            var next = 2
            for o in 0..<orders[i].count {
                var (d, n) = ([whole], [blank])
                let steps = changes[i][o], count = steps.filter { $0 }.count
                var (dRow, nRow) = (next, next + count)
                for step in steps {
                    if step {
                        d.append(score(dRow))
                        n.append(score(nRow))
                        (dRow, nRow) = (dRow + 1, nRow + 1)
                    } else {
                        d.append(d.last!)
                        n.append(n.last!)
                    }
                }
                next += 2 * count
                deletion.append(d + [blank])
                insertion.append(n + [whole])
            }
            return (deletion, insertion)
        }
    }
}
