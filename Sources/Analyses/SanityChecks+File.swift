import Deconvnet
import Network

extension SanityChecks {
    /// `sanity.safetensors`: the redrawn tensors `random.conv{l}.{weight,bias}`; the projections
    /// `{condition}.{rule}.digit{d}.conv{l}.{c}` (1, H, W) of the randomised conditions (the
    /// trained ones are `rules.safetensors`); per randomised condition and rule
    /// `{condition}.{rule}.spearman`, `.support_spearman` and `.ssim`; per rule `{rule}.input_spearman` (those four
    /// hold one value per image and map, image by image, then layer by layer and map by map) and
    /// `{rule}.pairwise_spearman` (one per image); for each other redrawing (metadata `seeds`, the
    /// first `seed`'s), `seed{s}.{condition}.{rule}.spearman`, `.support_spearman` and `.ssim`.
    /// Undefined correlations are stored as NaN.
    public func file(metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        let trained = projections[.trained]!, mode = trained.mode
        file.metadata["seed"] = "\(seed)"
        file.metadata["seeds"] = seeds.map(String.init).joined(separator: ",")
        file.metadata["conditions"] = conditions.map(\.key).joined(separator: ",")
        file.metadata["rules"] = BackwardRule.allCases.map(\.rawValue).joined(separator: ",")
        file.metadata["digits"] = digits.map(String.init).joined(separator: ",")
        file.metadata["mode"] = mode.rawValue
        file.metadata["order"] = "digit (\(file.metadata["digits"]!)), "
            + network.convolutionalLayers.map { "then \($0.name) maps 0-\($0.maps - 1)" }.joined(separator: ", ")
        file.metadata["redrawn"] = (network.isLeNet5 ? "the tensors of LeNet5(seed: \(seed))" : "the tensors of a fresh draw with seed \(seed)")
            + ": PyTorch's default init, uniform in ±1/sqrt(fan_in), one SplitMix64 stream in parameter order"
        file.metadata["spearman"] = "of absolute values, average ranks for ties (scipy.stats.spearmanr); NaN when a projection is constant"
        file.metadata["support_spearman"] = "of signed values over the pixels where either projection is non-zero, average ranks for ties; "
            + "NaN when fewer than two pixels are, or the values there are constant"
        file.metadata["ssim"] = "skimage structural_similarity(win_size=7, data_range=2, gaussian_weights=False, use_sample_covariance=True) of each image divided by its largest magnitude (all-zero images stay zero)"

        for layer in network.convolutionalLayers {
            let c = layer.convolution
            file["random.\(layer.name).weight"] = .init(shape: [c.outChannels, c.inChannels, c.kernel, c.kernel],
                                                        values: Array(redrawn.weights(of: layer.layer)))
            file["random.\(layer.name).bias"] = .init(shape: [c.outChannels], values: Array(redrawn.bias(of: layer.layer)))
        }
        let shape = [1, network.imageHeight, network.imageWidth], count = digits.count * trained.mapsPerImage
        for condition in randomised {
            for rule in BackwardRule.allCases {
                let key = "\(condition.key).\(rule.rawValue)"
                for (index, digit) in digits.enumerated() {
                    for (layer, map) in network.allMaps {
                        file["\(key).digit\(digit).\(layer.name).\(map)"] =
                            .init(shape: shape, values: projections[condition]!.projection(rule, image: index, layer: layer, map: map))
                    }
                }
            }
        }
        for (prefix, comparisons) in [("", comparisons)] + otherRedrawings.map({ ("seed\($0.seed).", $0.comparisons) }) {
            for comparison in comparisons {
                let key = "\(prefix)\(comparison.condition.key).\(comparison.rule.rawValue)"
                for measure in SanityComparison.Measure.allCases {
                    file["\(key).\(measure.rawValue)"] = .init(shape: [count], values: comparison.values(measure).map(Float.init))
                }
            }
        }
        for baseline in baselines {
            file["\(baseline.rule.rawValue).input_spearman"] = .init(shape: [count], values: baseline.inputSpearman.map(Float.init))
            file["\(baseline.rule.rawValue).pairwise_spearman"] = .init(shape: [digits.count], values: baseline.pairwiseSpearman.map(Float.init))
        }
        return file
    }
}
