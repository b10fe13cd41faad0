import Testing
@testable import Network

/// The matrix products behind the fully connected layers and `Conv2D.apply`: close to the Double
/// references, and bit for bit the order of operations their documentation states, whatever tile
/// or tail computes an element.
@Suite struct LinearKernelTests {
    /// (rows, columns, depth): LeNet-5's shapes, tiles with remainders in every direction, and
    /// empty and one-element cases.
    static let shapes = [(32, 400, 120), (120, 400, 32), (32, 120, 400), (16, 84, 120), (10, 84, 7), (7, 43, 37),
                         (4, 24, 5), (5, 25, 9), (1, 3, 0), (3, 1, 1), (0, 5, 5)]

    /// Tolerance 1e-5 relative to max(1, |value|): Float roundings over sums of up to 400 terms of
    /// size ≤ 1 (about √400 · 6e-8 typically).
    @Test(arguments: shapes)
    func matchTheDoubleReferences(_ m: Int, _ n: Int, _ k: Int) {
        var random = TestRandom(UInt64(31 + m * n + k))
        let a = random.uniform(m * k), b = random.uniform(k * n), bt = random.uniform(n * k), c = random.uniform(m * n)
        var product = c.map(Float.init)
        multiplyAccumulate(rows: m, columns: n, depth: k, a.map(Float.init), aRowStride: k, aDepthStride: 1,
                           b.map(Float.init), bRowStride: n, &product, cRowStride: n)
        expectClose(product, Reference.multiplyAccumulate(rows: m, columns: n, depth: k, a, aRowStride: k, aDepthStride: 1, b, c),
                    tolerance: 1e-5, "A · B, \(m)×\(n)×\(k)")
        // A read down its columns, as the weight gradient reads the output gradient.
        var transposedA = c.map(Float.init)
        multiplyAccumulate(rows: m, columns: n, depth: k, a.map(Float.init), aRowStride: 1, aDepthStride: m,
                           b.map(Float.init), bRowStride: n, &transposedA, cRowStride: n)
        expectClose(transposedA, Reference.multiplyAccumulate(rows: m, columns: n, depth: k, a, aRowStride: 1, aDepthStride: m, b, c),
                    tolerance: 1e-5, "Aᵀ · B, \(m)×\(n)×\(k)")
        var dots = c.map(Float.init)
        multiplyTransposedAccumulate(rows: m, columns: n, depth: k, a.map(Float.init), aRowStride: k, bt.map(Float.init),
                                     bRowStride: k, &dots, cRowStride: n)
        expectClose(dots, Reference.multiplyTransposedAccumulate(rows: m, columns: n, depth: k, a, bt, c),
                    tolerance: 1e-5, "A · Bᵀ, \(m)×\(n)×\(k)")
    }

    /// Exact equality with scalar code that follows the stated order: this is what makes the
    /// results independent of the processor, and of how many rows a call has.
    @Test(arguments: shapes)
    func followTheirStatedOrderExactly(_ m: Int, _ n: Int, _ k: Int) {
        var random = TestRandom(UInt64(41 + m * n + k))
        let a = random.uniform(m * k).map(Float.init), b = random.uniform(k * n).map(Float.init)
        let bt = random.uniform(n * k).map(Float.init), c = random.uniform(m * n).map(Float.init)

        var product = c
        multiplyAccumulate(rows: m, columns: n, depth: k, a, aRowStride: k, aDepthStride: 1, b, bRowStride: n, &product, cRowStride: n)
        var expected = c
        for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j].addProduct(a[i * k + p], b[p * n + j]) } } }
        #expect(product.map(\.bitPattern) == expected.map(\.bitPattern), "A · B, \(m)×\(n)×\(k): \(differing(product, expected))")

        var dots = c
        multiplyTransposedAccumulate(rows: m, columns: n, depth: k, a, aRowStride: k, bt, bRowStride: k, &dots, cRowStride: n)
        for i in 0..<m { for j in 0..<n { expected[i * n + j] = c[i * n + j] + statedDot(Array(a[(i * k)..<((i + 1) * k)]), Array(bt[(j * k)..<((j + 1) * k)])) } }
        #expect(dots.map(\.bitPattern) == expected.map(\.bitPattern), "A · Bᵀ, \(m)×\(n)×\(k): \(differing(dots, expected))")
    }

    /// `dotProduct`'s order in scalar code: eight lane sums over the full groups of eight, the
    /// lanes added as ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7)), then the rest one by one.
    func statedDot(_ x: [Float], _ y: [Float]) -> Float {
        let full = x.count / 8 * 8
        var lanes = [Float](repeating: 0, count: 8)
        for p in 0..<full { lanes[p % 8].addProduct(x[p], y[p]) }
        var sum = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]))
        for p in full..<x.count { sum.addProduct(x[p], y[p]) }
        return sum
    }

    func differing(_ x: [Float], _ y: [Float]) -> String {
        let indices = x.indices.filter { x[$0].bitPattern != y[$0].bitPattern }
        guard let first = indices.first else { return "none differ" }
        return "\(indices.count) differ, first at \(first): \(x[first]) vs \(y[first]), largest difference \(indices.map { abs(x[$0] - y[$0]) }.max()!)"
    }

    /// LeNet-5's three layers on a training shard (32), the last shard of an epoch (16), an odd
    /// evaluation remainder (7) and one image, against the Double reference, tolerance 1e-5; and
    /// each image's output and input gradient the same bits as when it is alone.
    @Test(arguments: [(LeNet5.fc1, 32), (LeNet5.fc2, 16), (LeNet5.fc3, 7), (LeNet5.fc3, 32), (Linear(inFeatures: 13, outFeatures: 5), 1)])
    func linearLayers(_ l: Linear, _ n: Int) {
        var random = TestRandom(UInt64(51 + n + l.inFeatures))
        let x = random.uniform(n * l.inFeatures), w = random.uniform(l.weightCount, scale: 0.1), b = random.uniform(l.outFeatures)
        let g = random.uniform(n * l.outFeatures), dw0 = random.uniform(l.weightCount), db0 = random.uniform(l.outFeatures)
        let (xf, wf, bf, gf) = (x.map(Float.init), w.map(Float.init), b.map(Float.init), g.map(Float.init))
        func run(_ rows: Range<Int>) -> (y: [Float], dx: [Float], dw: [Float], db: [Float]) {
            let count = rows.count
            var y = [Float](repeating: .nan, count: count * l.outFeatures), dx = [Float](repeating: .nan, count: count * l.inFeatures)
            var dw = dw0.map(Float.init), db = db0.map(Float.init)
            let input = Array(xf[(rows.lowerBound * l.inFeatures)..<(rows.upperBound * l.inFeatures)])
            let gradient = Array(gf[(rows.lowerBound * l.outFeatures)..<(rows.upperBound * l.outFeatures)])
            l.forward(output: &y, input: input, weight: wf, bias: bf, batch: count)
            l.backward(inputGradient: &dx, weightGradient: &dw, biasGradient: &db, outputGradient: gradient, input: input, weight: wf, batch: count)
            return (y, dx, dw, db)
        }
        let all = run(0..<n)
        let reference = Reference.linearBackward(l, outputGradient: g, input: x, weight: w, batch: n)
        expectClose(all.y, Reference.linearForward(l, input: x, weight: w, bias: b, batch: n), tolerance: 1e-5, "linear output")
        expectClose(all.dx, reference.input, tolerance: 1e-5, "linear input gradient")
        expectClose(all.dw, zip(dw0, reference.weight).map(+), tolerance: 1e-5, "linear weight gradient")
        expectClose(all.db, zip(db0, reference.bias).map(+), tolerance: 1e-5, "linear bias gradient")
        for image in [0, n - 1] {
            let alone = run(image..<(image + 1))
            #expect(alone.y.map(\.bitPattern) == all.y[(image * l.outFeatures)..<((image + 1) * l.outFeatures)].map(\.bitPattern),
                    "image \(image)'s output depends on the batch")
            #expect(alone.dx.map(\.bitPattern) == all.dx[(image * l.inFeatures)..<((image + 1) * l.inFeatures)].map(\.bitPattern),
                    "image \(image)'s input gradient depends on the batch")
        }
    }
}
