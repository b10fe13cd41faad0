import Network

extension Explanations {
    /// `attributions.safetensors`: per digit and method `digit{d}.{method}` (1, H, W), the trained
    /// model's attribution of its predicted class; for the first digit also
    /// `{condition}.digit{d}.{method}` under each cascading condition (of the same class). The
    /// metadata names the digits, their test indices (`digit{d}.test_index`), classes
    /// (`digit{d}.class`) and log-probabilities of the image and of the blank image
    /// (`digit{d}.log_probability`, `digit{d}.blank_log_probability`), the seeds and the definitions.
    public func attributionsFile(network: Network, metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata.merge(commonMetadata(network)) { $1 }
        file.metadata.merge(digits.metadata) { $1 }
        file.metadata["example_digit"] = "\(digits[0].digit)"
        file.metadata["definitions"] = Self.definitions(network)
        let shape = [1, network.imageHeight, network.imageWidth]
        for (i, d) in digits.enumerated() {
            file.metadata["\(d.key).class"] = "\(digitAttributions.classes[i])"
            file.metadata["\(d.key).log_probability"] = "\(digitAttributions.logProbabilities[i])"
            file.metadata["\(d.key).blank_log_probability"] = "\(digitAttributions.blankLogProbabilities[i])"
            for method in AttributionMethod.allCases {
                file["\(d.key).\(method.rawValue)"] = .init(shape: shape, values: digitAttributions.attribution(method, image: i))
            }
        }
        for condition in conditions {
            let example = randomisedExample[condition]!
            file.metadata["\(condition.key).\(digits[0].key).log_probability"] = "\(example.logProbabilities[0])"
            file.metadata["\(condition.key).\(digits[0].key).blank_log_probability"] = "\(example.blankLogProbabilities[0])"
            for method in AttributionMethod.allCases {
                file["\(condition.key).\(digits[0].key).\(method.rawValue)"] = .init(shape: shape,
                                                                                   values: example.attribution(method, image: 0))
            }
        }
        return file
    }

    /// `faithfulness.safetensors`: `indices` (N, I64, the test indices 0 … N − 1), `classes` (N,
    /// I64, the class explained), and for each method and for `random`: `{key}.deletion` and
    /// `{key}.insertion` (N, 29), `{key}.deletion_auc` and `{key}.insertion_auc` (N). Besides:
    /// `integrated_gradients.completeness_error` and `integrated_gradients.log_probability_gap`
    /// (N); over the first R images (metadata `randomisation_images`), `{condition}.{method}.spearman`
    /// (R) per cascading condition, `{method}.unrelated_spearman` (R, image i against image i + 1),
    /// `{method}.input_spearman` and `{method}.redrawn_input_spearman` (R), NaN where undefined.
    public func faithfulnessFile(network: Network, metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata.merge(commonMetadata(network)) { $1 }
        let f = faithfulness, n = f.count
        file.metadata["images"] = "\(n)"
        file.metadata["randomisation_images"] = "\(randomisation.indices.count)"
        file.metadata["fractions"] = f.fractions.map { "\($0)" }.joined(separator: ",")
        file.metadata["score"] = "softmax probability of the class, exp(log p_c) in float32"
        file.metadata["order"] = "pixels by attribution, highest first, ties to the lower index; deletion sets them to 0 (blank paper), "
            + "insertion restores them into a blank image, \(Faithfulness.steps) steps; random: the pointwise mean of "
            + "\(Faithfulness.randomOrders) seeded random orders"
        file.metadata["auc"] = "trapezoid rule over the fraction of pixels changed, in float64"
        file.metadata["spearman"] = "of absolute values, average ranks for ties, NaN when constant; unrelated_spearman: trained image i "
            + "against trained image i + 1 (the last against the first); input_spearman, redrawn_input_spearman: the trained "
            + "attribution and the one with every convolutional layer redrawn against the pixels"
        file["indices"] = .init(shape: [n], integers: f.indices.map(Int64.init))
        file["classes"] = .init(shape: [n], integers: f.classes.map(Int64.init))
        for key in Faithfulness.keys {
            file["\(key).deletion"] = .init(shape: [n, f.points], values: f.deletion[key]!)
            file["\(key).insertion"] = .init(shape: [n, f.points], values: f.insertion[key]!)
            file["\(key).deletion_auc"] = .init(shape: [n], values: f.deletionAreas(key).map(Float.init))
            file["\(key).insertion_auc"] = .init(shape: [n], values: f.insertionAreas(key).map(Float.init))
        }
        file["integrated_gradients.completeness_error"] = .init(shape: [n], values: completenessErrors.map(Float.init))
        file["integrated_gradients.log_probability_gap"] = .init(shape: [n], values: logProbabilityGaps.map(Float.init))
        let r = randomisation.indices.count
        for condition in conditions {
            for method in AttributionMethod.allCases {
                let values = randomisation.spearman[condition]![method]!.map(Float.init)
                file["\(condition.key).\(method.rawValue).spearman"] = .init(shape: [r], values: values)
            }
        }
        for method in AttributionMethod.allCases {
            for (name, values) in [("unrelated_spearman", randomisation.unrelatedSpearman), ("input_spearman", randomisation.inputSpearman),
                                   ("redrawn_input_spearman", randomisation.redrawnInputSpearman)] {
                file["\(method.rawValue).\(name)"] = .init(shape: [r], values: values[method]!.map(Float.init))
            }
        }
        return file
    }

    /// What both files record about how they were made.
    private func commonMetadata(_ network: Network) -> [String: String] {
        [
            "seed": "\(seed)", "redraw_seed": "\(redrawSeed)",
            "methods": AttributionMethod.allCases.map(\.rawValue).joined(separator: ","),
            "conditions": conditions.map(\.key).joined(separator: ","),
            "gradcam_layer": network.gradCAMLayerDescription,
            "units": network.normalization == nil ? "pixels (byte / 255)" : "the network's normalised input, (x - mean) / std",
        ]
    }

    /// Each method's definition, for the file's metadata.
    static func definitions(_ network: Network) -> String {
        let (steps, samples, sigma, patch) = (ClassAttributions.integratedGradientsSteps, ClassAttributions.smoothGradSamples,
                                              ClassAttributions.smoothGradSigma, ClassAttributions.occlusionPatch)
        return "every attribution of log p_c, c the predicted class, in the network's input units; "
            + "gradient: d log p_c / dx (Captum Saliency(abs=False)); gradient_x_input: gradient * x (InputXGradient); "
            + "integrated_gradients: baseline the blank image (0 in pixels), \(steps) steps, alpha_k = k/\(steps - 1), "
            + "weights 1/\(steps) halved at both ends (IntegratedGradients(method='riemann_trapezoid', n_steps=\(steps))); "
            + "smoothgrad: mean gradient over \(samples) copies with N(0, \(sigma)^2) noise in pixel units from SplitMix64 "
            + "(seed << 32 | 1 << 24 | test index) by Box-Muller; "
            + "gradcam: relu(sum_m mean(dA_m) A_m) at \(network.gradCAMLayerDescription), "
            + "upsampled bilinearly (align_corners=False) (LayerGradCam(relu_attributions=True), LayerAttribution.interpolate); "
            + "guided_gradcam: guided_backprop * gradcam (GuidedGradCam(interpolate_mode='bilinear')); guided_backprop, deconvnet: "
            + "GuidedBackprop, Deconvolution; occlusion: mean drop in log p_c over the \(patch)x\(patch) squares of blank paper "
            + "(0 in pixels) covering the pixel, stride 1 (Occlusion)"
    }

    /// The analysis read back from its two files: the costly arrays come from them, the summaries
    /// are computed again. nil when the files are of other digits, images, seeds, methods or
    /// conditions, or when the first digit's attributions, recomputed, or the first image's
    /// curves, recomputed, differ from the files' in any bit.
    public init?(attributions: Safetensors, faithfulness: Safetensors, network: Network, digits: [DigitImage], testImages: [Float],
                 seed: UInt64, redrawSeed: UInt64 = SanityChecks.defaultSeed, randomisationImages: Int = defaultRandomisationImages,
                 threads: Int = 2) {
        let pixels = network.inputCount, n = testImages.count / pixels, r = min(randomisationImages, n)
        let conditions = Self.conditions(network)
        guard !digits.isEmpty, n > 0 else { return nil }
        let expected: [String: String] = [
            "seed": "\(seed)", "redraw_seed": "\(redrawSeed)", "methods": AttributionMethod.allCases.map(\.rawValue).joined(separator: ","),
            "conditions": conditions.map(\.key).joined(separator: ","), "gradcam_layer": network.gradCAMLayerDescription,
        ]
        for (key, value) in expected where attributions.metadata[key] != value || faithfulness.metadata[key] != value { return nil }
        guard attributions.metadata["digits"] == digits.metadata["digits"],
              digits.allSatisfy({ attributions.metadata["\($0.key).test_index"] == "\($0.testIndex)" }),
              faithfulness.metadata["images"] == "\(n)", faithfulness.metadata["randomisation_images"] == "\(r)",
              faithfulness["indices"]?.integers == (0..<n).map(Int64.init) else { return nil }

        // The digits' attributions and the example's under each condition.
        let shape = [1, network.imageHeight, network.imageWidth]
        func attributionsOf(_ prefix: String, _ d: DigitImage, class c: Int?) -> ClassAttributions? {
            var values: [AttributionMethod: [Float]] = [:]
            for method in AttributionMethod.allCases {
                guard let tensor = attributions["\(prefix)\(d.key).\(method.rawValue)"], tensor.shape == shape, tensor.integers == nil
                else { return nil }
                values[method] = tensor.values
            }
            guard let c = c ?? attributions.metadata["\(d.key).class"].flatMap(Int.init), (0..<network.classes).contains(c),
                  let logP = attributions.metadata["\(prefix)\(d.key).log_probability"].flatMap(Float.init),
                  let blank = attributions.metadata["\(prefix)\(d.key).blank_log_probability"].flatMap(Float.init) else { return nil }
            return ClassAttributions(imageHeight: network.imageHeight, imageWidth: network.imageWidth, indices: [d.testIndex], classes: [c],
                                     logProbabilities: [logP], blankLogProbabilities: [blank], values: values)
        }
        var perDigit: [ClassAttributions] = []
        for d in digits {
            guard let a = attributionsOf("", d, class: nil) else { return nil }
            perDigit.append(a)
        }
        let digitAttributions = ClassAttributions(joining: perDigit)
        var example: [SanityCondition: ClassAttributions] = [:]
        for condition in conditions {
            guard let a = attributionsOf("\(condition.key).", digits[0], class: digitAttributions.classes[0]) else { return nil }
            example[condition] = a
        }

        // The curves, the completeness errors and the correlations.
        guard let classes = faithfulness["classes"]?.integers, classes.count == n,
              classes.allSatisfy({ (0..<Int64(network.classes)).contains($0) }),
              let fractions = faithfulness.metadata["fractions"]?.split(separator: ",").compactMap({ Double($0) }),
              fractions.count == Faithfulness.steps + 1 else { return nil }
        var deletion: [String: [Float]] = [:], insertion: [String: [Float]] = [:]
        for key in Faithfulness.keys {
            guard let d = faithfulness["\(key).deletion"], let i = faithfulness["\(key).insertion"],
                  d.shape == [n, fractions.count], i.shape == [n, fractions.count], d.integers == nil, i.integers == nil else { return nil }
            deletion[key] = d.values
            insertion[key] = i.values
        }
        let curves = Faithfulness(indices: Array(0..<n), classes: classes.map { Int($0) }, fractions: fractions, deletion: deletion,
                                  insertion: insertion)
        guard let completeness = faithfulness["integrated_gradients.completeness_error"], completeness.shape == [n],
              let gaps = faithfulness["integrated_gradients.log_probability_gap"], gaps.shape == [n] else { return nil }
        var spearman: [SanityCondition: [AttributionMethod: [Double]]] = [:]
        var yardsticks: [String: [AttributionMethod: [Double]]] = [:]
        for method in AttributionMethod.allCases {
            for condition in conditions {
                guard let t = faithfulness["\(condition.key).\(method.rawValue).spearman"], t.shape == [r] else { return nil }
                spearman[condition, default: [:]][method] = t.values.map(Double.init)
            }
            for name in ["unrelated_spearman", "input_spearman", "redrawn_input_spearman"] {
                guard let t = faithfulness["\(method.rawValue).\(name)"], t.shape == [r] else { return nil }
                yardsticks[name, default: [:]][method] = t.values.map(Double.init)
            }
        }

        // Spot checks: the first digit's attributions and the first image's curves, recomputed.
        let first = ClassAttributions(network: network, images: digits[0].image, indices: [digits[0].testIndex], seed: seed,
                                      threads: threads)
        for method in AttributionMethod.allCases {
            guard first.attribution(method, image: 0).map(\.bitPattern) == digitAttributions.attribution(method, image: 0).map(\.bitPattern)
            else { return nil }
        }
        let image = Array(testImages[0..<pixels])
        let imageAttributions = ClassAttributions(network: network, images: image, indices: [0], seed: seed, threads: threads)
        let again = Faithfulness(network: network, images: image, attributions: imageAttributions, seed: seed, threads: threads)
        guard again.classes == [curves.classes[0]] else { return nil }
        for key in Faithfulness.keys {
            guard again.deletion[key]!.map(\.bitPattern) == curves.curve(\.deletion, key, image: 0).map(\.bitPattern),
                  again.insertion[key]!.map(\.bitPattern) == curves.curve(\.insertion, key, image: 0).map(\.bitPattern) else { return nil }
        }
        self.init(seed: seed, redrawSeed: redrawSeed, digits: digits, digitAttributions: digitAttributions, conditions: conditions,
                  randomisedExample: example, faithfulness: curves, completenessErrors: completeness.values.map(Double.init),
                  logProbabilityGaps: gaps.values.map(Double.init),
                  randomisation: AttributionRandomisation(conditions: conditions, indices: Array(0..<r), spearman: spearman,
                                                          unrelatedSpearman: yardsticks["unrelated_spearman"]!,
                                                          inputSpearman: yardsticks["input_spearman"]!,
                                                          redrawnInputSpearman: yardsticks["redrawn_input_spearman"]!))
    }
}

extension ClassAttributions {
    /// Several sets of attributions one after another.
    init(joining parts: [ClassAttributions]) {
        self.init(imageHeight: parts[0].imageHeight, imageWidth: parts[0].imageWidth, indices: parts.flatMap(\.indices),
                  classes: parts.flatMap(\.classes), logProbabilities: parts.flatMap(\.logProbabilities),
                  blankLogProbabilities: parts.flatMap(\.blankLogProbabilities),
                  values: Dictionary(uniqueKeysWithValues: AttributionMethod.allCases.map { m in (m, parts.flatMap { $0.values[m]! }) }))
    }
}

extension Network {
    /// "conv2's output after its ReLU (layer 5, before pooling)": where Grad-CAM looks, by the
    /// layer's name and index in the chain.
    public var gradCAMLayerDescription: String {
        let block = convolutionalLayers.last!, layer = gradCAMLayer
        let pooled = layers[(layer + 1)..<(block.outputLayer + 1)].contains {
            switch $0 {
            case .maxPool, .averagePool: true
            default: false
            }
        }
        let what = layer == block.layer ? "\(block.name)'s output" : "\(block.name)'s output after its ReLU"
        return what + " (layer \(layer + 1) of the chain" + (pooled ? ", before pooling)" : ")")
    }
}
