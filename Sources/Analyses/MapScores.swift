import Deconvnet
import Network

/// Every image's score in every map of both convolutional layers: the map's largest pooled
/// activation (the same as its largest rectified convolution output).
struct MapScores: Sendable {
    /// conv1's 6 maps, then conv2's 16.
    static let maps = ConvLayer.conv1.maps + ConvLayer.conv2.maps
    /// Images per batched pass: memory stays near 6 MB whatever the number of images.
    static let chunk = 1000

    let count: Int
    /// (n, 22).
    let values: [Float]

    init(model: LeNet5, images: [Float], threads: Int) {
        let n = images.count / LeNet5.inputCount
        var values = [Float](repeating: 0, count: n * Self.maps)
        for start in Swift.stride(from: 0, to: n, by: Self.chunk) {
            let end = min(start + Self.chunk, n)
            let pass = model.activations(images: Array(images[(start * LeNet5.inputCount)..<(end * LeNet5.inputCount)]),
                                         keeping: [.pool1, .pool2], threads: threads)
            for i in 0..<(end - start) {
                var column = (start + i) * Self.maps
                for layer in ConvLayer.allCases {
                    let plane = layer.pool.outputHeight * layer.pool.outputWidth
                    (layer == .conv1 ? pass.pool1 : pass.pool2).withUnsafeBufferPointer { pooled in
                        for c in 0..<layer.maps {
                            let first = (i * layer.maps + c) * plane
                            var largest = pooled[first]
                            for v in pooled[(first + 1)..<(first + plane)] where v > largest { largest = v }
                            values[column] = largest
                            column += 1
                        }
                    }
                }
            }
        }
        count = n
        self.values = values
    }

    static func column(_ layer: ConvLayer, map: Int) -> Int { layer == .conv1 ? map : ConvLayer.conv1.maps + map }

    func score(image: Int, _ layer: ConvLayer, map: Int) -> Float { values[image * Self.maps + Self.column(layer, map: map)] }

    /// The `k` images with the highest scores in `map` of `layer`, best first.
    func top(_ k: Int, _ layer: ConvLayer, map: Int) -> [Int] {
        Self.top(k, count: count) { score(image: $0, layer, map: map) }
    }

    /// The indices of the `k` highest of `count` scores, best first; of equal scores the lower
    /// index comes first.
    static func top(_ k: Int, count: Int, score: (Int) -> Float) -> [Int] {
        guard k > 0 else { return [] }
        var best: [(score: Float, index: Int)] = []
        best.reserveCapacity(k + 1)
        for i in 0..<count {
            let s = score(i)
            // Strictly better than the last kept one: a later index loses a tie.
            guard best.count < k || s > best[best.count - 1].score else { continue }
            let at = best.firstIndex { s > $0.score } ?? best.count
            best.insert((s, i), at: at)
            if best.count > k { best.removeLast() }
        }
        return best.map(\.index)
    }
}
