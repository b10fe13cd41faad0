import Testing
@testable import Deconvnet
@testable import Network

/// The writeup's worked example reads the right 4 × 4 corner, its pooled values and its switches.
struct UnpoolingExampleTests {
    @Test func cornerPooledValuesAndSwitchesAgreeWithTheForwardPass() throws {
        var random = SplitMix64(seed: 21)
        let image = (0..<784).map { _ in random.nextUnitFloat() }
        let model = LeNet5(seed: 5)
        let e = try #require(UnpoolingExample(digit: 3, image: image, network: model.network))
        let pass = model.forward(images: image)
        #expect(e.layer == model.network.convolutionalLayers[0] && e.side == 4 && e.digit == 3)
        #expect(e.top % 2 == 0 && e.left % 2 == 0 && (0...24).contains(e.top) && (0...24).contains(e.left))
        let plane = Array(pass.conv1[(e.map * 784)..<((e.map + 1) * 784)])
        for i in 0..<16 { #expect(e.patch[i] == plane[(e.top + i / 4) * 28 + e.left + i % 4], "patch cell \(i)") }
        // Each 2 × 2 window's maximum is its pooled value, found at its switch; unpooling keeps only those.
        #expect(e.switches.count == 4)
        for w in 0..<4 {
            let cells = [0, 1, 4, 5].map { (w / 2) * 8 + (w % 2) * 2 + $0 }
            #expect(e.pooled[w] == cells.map { e.patch[$0] }.max()!, "window \(w)")
            let inWindow = e.switches.filter(cells.contains)
            #expect(inWindow.count == 1 && e.patch[inWindow.first!] == e.pooled[w])
            #expect(e.pooled[w] == pass.pool1[(e.map * 14 + e.top / 2 + w / 2) * 14 + e.left / 2 + w % 2])
        }
        for i in 0..<16 { #expect(e.unpooled[i] == (e.switches.contains(i) ? e.patch[i] : 0), "unpooled cell \(i)") }
        // The chosen window's smallest pooled value is the largest over all maps and aligned windows.
        #expect(e.pooled.min()! > 0)
        var best = -Float.infinity
        for m in 0..<6 {
            for y in 0..<13 {
                for x in 0..<13 {
                    let at = (m * 14 + y) * 14 + x
                    best = max(best, min(pass.pool1[at], pass.pool1[at + 1], pass.pool1[at + 14], pass.pool1[at + 15]))
                }
            }
        }
        #expect(e.pooled.min()! == best)
    }

    /// Another network's first max-pooling is found; a network without one has no example.
    @Test func anyNetwork() throws {
        let network = otherNetwork(seed: 13)
        let e = try #require(UnpoolingExample(digit: 1, image: ring, network: network))
        #expect(e.layer == network.convolutionalLayers[0] && e.side == 4 && e.patch.count == 16 && e.unpooled.count == 16)
        for w in 0..<4 {
            let cells = [0, 1, 4, 5].map { (w / 2) * 8 + (w % 2) * 2 + $0 }
            #expect(e.pooled[w] == cells.map { e.patch[$0] }.max()!, "window \(w)")
        }
        let averaged = try Network(imageHeight: 28, imageWidth: 28,
                                   kinds: [.convolution(outChannels: 2, kernel: 3, stride: 1, padding: 1), .relu, .averagePool(kernel: 2, stride: 2),
                                           .flatten, .linear(outFeatures: 10)],
                                   parameters: randomArray(2 * 9 + 2 + 2 * 196 * 10 + 10, seed: 3))
        #expect(UnpoolingExample(digit: 1, image: ring, network: averaged) == nil)
    }
}
