import Deconvnet
import Network

extension TopActivations {
    /// The analysis of `network` read back from its `top9.safetensors`: the ranking, which scores
    /// every test image in every map, comes from the file; the projections of the few images it
    /// names are computed again. nil when the file lacks a map or its scores are not what
    /// `network` gives those images (another model, or other test images).
    public init?(file: Safetensors, network: Network, testImages: [Float], threads: Int = 2) {
        let count = testImages.count / network.inputCount
        var requests: [(layer: ConvolutionalLayer, map: Int, image: Int)] = [], scores: [Float] = [], rankings: [[Int]] = []
        for (layer, map) in network.allMaps {
            let key = "\(layer.name).\(map)"
            guard let indices = file["\(key).indices"]?.integers, let best = file["\(key).scores"]?.values,
                  let ranking = file["\(key).ranking"]?.integers, ranking.starts(with: indices),
                  indices.count == best.count, ranking.allSatisfy({ (0..<Int64(count)).contains($0) }) else { return nil }
            requests += indices.map { (layer, map, Int($0)) }
            scores += best
            rankings.append(ranking.map { Int($0) })
        }
        let projected = ProjectedActivation.project(requests, network: network, images: testImages, threads: threads)
        guard projected.map(\.score) == scores else { return nil }
        self.init(network: network, projected: projected, rankings: rankings)
    }
}
