import Testing
import Network

/// `count` images of faint noise with a bright blob at a seeded place, 784 floats each.
func blobImages(_ count: Int, seed: UInt64) -> [Float] {
    var random = SplitMix64(seed: seed)
    var images = [Float]()
    for _ in 0..<count {
        var image = (0..<784).map { _ in 0.1 * random.nextUnitFloat() }
        let (top, left) = (Int(random.next() % 18), Int(random.next() % 18))
        for y in top..<(top + 10) { for x in left..<(left + 10) where (y + x) % 3 != 0 { image[y * 28 + x] = random.nextUnitFloat() } }
        images += image
    }
    return images
}

func image(_ i: Int, of images: [Float]) -> [Float] { Array(images[(i * 784)..<((i + 1) * 784)]) }

/// Expects |actual − expected| ≤ tolerance · max(1, |expected|) everywhere, naming the worst element.
func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var worst = (difference: Float(0), index: 0)
    for i in actual.indices {
        let d = abs(actual[i] - expected[i]) / max(1, abs(expected[i]))
        if !(d <= worst.difference) { worst = (d, i) }
    }
    let message = "\(what): worst relative difference \(worst.difference) at \(worst.index) "
        + "(\(actual[worst.index]) vs \(expected[worst.index])), tolerance \(tolerance)"
    #expect(worst.difference <= tolerance, "\(message)", sourceLocation: sourceLocation)
}
