import Deconvnet
import Network

/// Every image's score in every map of every convolutional layer: the map's largest block-output
/// activation (after its ReLU and pooling; for a max-pooled block the same as its largest
/// rectified convolution output).
struct MapScores: Sendable {
    /// Images per batched pass, so that memory stays bounded whatever the number of images.
    static let chunk = 1000

    let count: Int
    /// Maps per image: every layer's, in `Network.allMaps` order.
    let maps: Int
    /// Where each layer's maps start in a row.
    let columns: [Int]
    /// (n, maps).
    let values: [Float]

    init(network: Network, images: [Float], threads: Int) {
        let n = images.count / network.inputCount
        let layers = network.convolutionalLayers
        var columns = [Int](), total = 0
        for layer in layers { columns.append(total); total += layer.maps }
        var values = [Float](repeating: 0, count: n * total)
        let size = network.inputCount
        for start in Swift.stride(from: 0, to: n, by: Self.chunk) {
            let end = min(start + Self.chunk, n)
            let pass = network.forward(images: Array(images[(start * size)..<(end * size)]), keeping: Set(layers.map(\.outputLayer)),
                                       classifier: false, threads: threads)
            for layer in layers {
                let plane = layer.mapPlane
                pass.outputs[layer.outputLayer]!.withUnsafeBufferPointer { output in
                    for i in 0..<(end - start) {
                        var column = (start + i) * total + columns[layer.number - 1]
                        for c in 0..<layer.maps {
                            let first = (i * layer.maps + c) * plane
                            var largest = output[first]
                            for v in output[(first + 1)..<(first + plane)] where v > largest { largest = v }
                            values[column] = largest
                            column += 1
                        }
                    }
                }
            }
        }
        count = n
        maps = total
        self.columns = columns
        self.values = values
    }

    func score(image: Int, _ layer: ConvolutionalLayer, map: Int) -> Float { values[image * maps + columns[layer.number - 1] + map] }

    /// The `k` images with the highest scores in `map` of `layer`, best first.
    func top(_ k: Int, _ layer: ConvolutionalLayer, map: Int) -> [Int] {
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
