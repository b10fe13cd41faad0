import Testing
import Deconvnet
import Network

/// How one image's maps respond, on hand-made block outputs.
@Suite struct LayerResponseTests {
    @Test func totalsRankingAndSilentMaps() {
        let conv1 = LeNet5(seed: 0).network.convolutionalLayers[0]
        var pooled = [Float](repeating: 0, count: LeNet5.pool1.outputCount)
        let plane = 14 * 14
        pooled[2 * plane + 5] = 3; pooled[2 * plane + 9] = 1     // map 2: total 4
        pooled[4 * plane] = 4                                     // map 4: total 4, ties with map 2
        pooled[0] = 0.5                                           // map 0: 0.5
        let response = LayerResponse(conv1, output: pooled)
        #expect(response.layer == conv1)
        #expect(response.totals == [0.5, 0, 4, 0, 4, 0])
        #expect(response.ranked == [2, 4, 0, 1, 3, 5], "largest first, of equal totals the lower map")
        #expect(response.silent == [1, 3, 5])
    }
}
