import Deconvnet
import Network

extension SanityChecks {
    /// `sanity.safetensors`: the redrawn tensors `random.conv{1,2}.{weight,bias}`; the projections
    /// `{condition}.{rule}.digit{d}.conv{l}.{c}` (1, 28, 28) of the three randomised conditions
    /// (the trained ones are `rules.safetensors`); per randomised condition and rule
    /// `{condition}.{rule}.spearman` and `.ssim`; per rule `{rule}.input_spearman` (those three
    /// hold one value per image and map, image by image, conv1's maps 0–5 then conv2's 0–15) and
    /// `{rule}.pairwise_spearman` (one per image). Undefined correlations are stored as NaN.
    public func file(metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        let mode = projections[.trained]!.mode
        file.metadata["seed"] = "\(seed)"
        file.metadata["conditions"] = SanityCondition.allCases.map(\.rawValue).joined(separator: ",")
        file.metadata["rules"] = BackwardRule.allCases.map(\.rawValue).joined(separator: ",")
        file.metadata["digits"] = digits.map(String.init).joined(separator: ",")
        file.metadata["mode"] = mode.rawValue
        file.metadata["order"] = "digit (\(file.metadata["digits"]!)), then conv1 maps 0-5, then conv2 maps 0-15"
        file.metadata["redrawn"] = "the tensors of LeNet5(seed: \(seed)): PyTorch's default init, uniform in ±1/sqrt(fan_in), one SplitMix64 stream in parameter order"
        file.metadata["spearman"] = "of absolute values, average ranks for ties (scipy.stats.spearmanr); NaN when a projection is constant"
        file.metadata["ssim"] = "skimage structural_similarity(win_size=7, data_range=2, gaussian_weights=False, use_sample_covariance=True) of each image divided by its largest magnitude (all-zero images stay zero)"

        for layer in ConvLayer.allCases {
            for p in [layer.weights, layer.bias] {
                file["random.\(p.name)"] = .init(shape: p.shape, values: Array(redrawn[p]))
            }
        }
        let side = LeNet5.imageSide, count = digits.count * ConvLayer.allMaps.count
        for condition in SanityCondition.randomised {
            for rule in BackwardRule.allCases {
                let key = "\(condition.rawValue).\(rule.rawValue)"
                for (index, digit) in digits.enumerated() {
                    for (layer, map) in ConvLayer.allMaps {
                        file["\(key).digit\(digit).\(layer.rawValue).\(map)"] =
                            .init(shape: [1, side, side], values: projections[condition]!.projection(rule, image: index, layer: layer, map: map))
                    }
                }
                let comparison = self.comparison(condition, rule)
                file["\(key).spearman"] = .init(shape: [count], values: comparison.spearman.map(Float.init))
                file["\(key).ssim"] = .init(shape: [count], values: comparison.ssim.map(Float.init))
            }
        }
        for baseline in baselines {
            file["\(baseline.rule.rawValue).input_spearman"] = .init(shape: [count], values: baseline.inputSpearman.map(Float.init))
            file["\(baseline.rule.rawValue).pairwise_spearman"] = .init(shape: [digits.count], values: baseline.pairwiseSpearman.map(Float.init))
        }
        return file
    }
}
