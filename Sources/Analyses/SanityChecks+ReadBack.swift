import Deconvnet
import Network

extension SanityChecks {
    /// The checks read back from `rules.safetensors` (the trained projections) and
    /// `sanity.safetensors` (the randomised ones): the projections, the costly part, come from the
    /// files; the comparisons and baselines are computed again from them, so that every number is
    /// the one a fresh run gives. nil when the files are of other digits, another mode or seed,
    /// their redrawn filters are not `network`'s redrawn with `seed`, or a picture recomputed from
    /// `images` (each digit's projection of its most active map of the first layer) is not the file's.
    public init?(rules: Safetensors, sanity: Safetensors, network: Network, digits: [Int], images: [[Float]], seed: UInt64 = defaultSeed,
                 mode: ReconstructionMode = .wholeMap, threads: Int = 2) {
        let digitList = digits.map(String.init).joined(separator: ",")
        let conditions = SanityCondition.all(network)
        guard rules.metadata["digits"] == digitList, sanity.metadata["digits"] == digitList, rules.metadata["mode"] == mode.rawValue,
              sanity.metadata["mode"] == mode.rawValue, sanity.metadata["seed"] == "\(seed)",
              sanity.metadata["seeds"] == ([seed] + Self.otherSeeds(seed)).map(String.init).joined(separator: ","),
              sanity.metadata["conditions"] == conditions.map(\.key).joined(separator: ","),
              images.count == digits.count, images.allSatisfy({ $0.count == network.inputCount }) else { return nil }
        let redrawn = network.redrawing(network.convolutionalLayers, seed: seed)
        for layer in network.convolutionalLayers {
            guard sanity["random.\(layer.name).weight"]?.values == Array(redrawn.weights(of: layer.layer)),
                  sanity["random.\(layer.name).bias"]?.values == Array(redrawn.bias(of: layer.layer)) else { return nil }
        }
        let shape = [1, network.imageHeight, network.imageWidth]
        var projections: [SanityCondition: BackwardRuleProjections] = [:]
        for condition in conditions {
            var byRule: [BackwardRule: [[Float]]] = [:]
            for rule in BackwardRule.allCases {
                var pictures: [[Float]] = []
                for digit in digits {
                    for (layer, map) in network.allMaps {
                        let key = condition == .trained ? "digit\(digit).\(rule.rawValue).\(layer.name).\(map)"
                            : "\(condition.key).\(rule.rawValue).digit\(digit).\(layer.name).\(map)"
                        guard let tensor = (condition == .trained ? rules : sanity)[key], tensor.shape == shape else { return nil }
                        pictures.append(tensor.values)
                    }
                }
                byRule[rule] = pictures
            }
            projections[condition] = BackwardRuleProjections(network: network, digits: digits, mode: mode, projections: byRule)
        }
        let passes = BackwardRuleProjections.forward(network, images, threads: threads), deconvnet = Deconvnet(network: network)
        let first = network.convolutionalLayers[0]
        for i in digits.indices {
            let map = LayerResponse(first, output: Array(passes[i].output(first.outputLayer, image: 0))).ranked[0]
            guard deconvnet.reconstruct(first, map: map, of: passes[i], mode: mode, rule: .deconvnet)
                == projections[.trained]!.projection(.deconvnet, image: i, layer: first, map: map) else { return nil }
        }
        // The other redrawings' comparisons as the file keeps them (Float), as a cold run's are after a warm one.
        let layers = network.convolutionalLayers, count = digits.count * network.allMaps.count
        var others: [Redrawing] = []
        for other in Self.otherSeeds(seed) {
            var comparisons: [SanityComparison] = []
            for condition in SanityCondition.randomised(network) {
                for rule in BackwardRule.allCases {
                    let key = "seed\(other).\(condition.key).\(rule.rawValue)"
                    let values = SanityComparison.Measure.allCases.map { sanity["\(key).\($0.rawValue)"] }
                    guard values.allSatisfy({ $0?.shape == [count] }) else { return nil }
                    let measures = values.map { $0!.values.map(Double.init) }
                    comparisons.append(SanityComparison(condition: condition, rule: rule, layers: layers, spearman: measures[0],
                                                        supportSpearman: measures[1], ssim: measures[2]))
                }
            }
            others.append(Redrawing(seed: other, comparisons: comparisons))
        }
        self.init(seed: seed, digits: digits, images: images, network: network, projections: projections, otherRedrawings: others,
                  threads: threads)
    }
}
