import Deconvnet
import Network

extension SanityChecks {
    /// The checks read back from `rules.safetensors` (the trained projections) and
    /// `sanity.safetensors` (the randomised ones): the projections, the costly part, come from the
    /// files; the comparisons and baselines are computed again from them, so that every number is
    /// the one a fresh run gives. nil when the files are of other digits, another mode or seed,
    /// their redrawn filters are not `model`'s redrawn with `seed`, or a picture recomputed from
    /// `images` (each digit's projection of its most active conv1 map) is not the file's.
    public init?(rules: Safetensors, sanity: Safetensors, model: LeNet5, digits: [Int], images: [[Float]], seed: UInt64 = defaultSeed,
                 mode: ReconstructionMode = .wholeMap, threads: Int = 2) {
        let digitList = digits.map(String.init).joined(separator: ",")
        guard rules.metadata["digits"] == digitList, sanity.metadata["digits"] == digitList, rules.metadata["mode"] == mode.rawValue,
              sanity.metadata["mode"] == mode.rawValue, sanity.metadata["seed"] == "\(seed)" else { return nil }
        let redrawn = model.redrawing([.conv1, .conv2], seed: seed)
        for layer in ConvLayer.allCases {
            for p in [layer.weights, layer.bias] where sanity["random.\(p.name)"]?.values != Array(redrawn[p]) { return nil }
        }
        var projections: [SanityCondition: BackwardRuleProjections] = [:]
        for condition in SanityCondition.allCases {
            var byRule: [BackwardRule: [[Float]]] = [:]
            for rule in BackwardRule.allCases {
                var pictures: [[Float]] = []
                for digit in digits {
                    for (layer, map) in ConvLayer.allMaps {
                        let key = condition == .trained ? "digit\(digit).\(rule.rawValue).\(layer.rawValue).\(map)"
                            : "\(condition.rawValue).\(rule.rawValue).digit\(digit).\(layer.rawValue).\(map)"
                        guard let tensor = (condition == .trained ? rules : sanity)[key], tensor.shape == [1, LeNet5.imageSide, LeNet5.imageSide]
                        else { return nil }
                        pictures.append(tensor.values)
                    }
                }
                byRule[rule] = pictures
            }
            projections[condition] = BackwardRuleProjections(digits: digits, mode: mode, projections: byRule)
        }
        let check = BackwardRuleProjections.forward(model, images), deconvnet = Deconvnet(model: model)
        for i in digits.indices {
            let map = LayerResponse(.conv1, pooled: check[i].pool1).ranked[0]
            guard deconvnet.reconstructions(.conv1, map: map, of: check[i], mode: mode)[.deconvnet]
                == projections[.trained]!.projection(.deconvnet, image: i, layer: .conv1, map: map) else { return nil }
        }
        self.init(seed: seed, digits: digits, images: images, redrawn: redrawn, projections: projections, threads: threads)
    }
}
