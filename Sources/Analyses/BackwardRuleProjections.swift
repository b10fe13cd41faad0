import Deconvnet
import Network

/// Every map of every image projected to pixel space under each of the three backward rules, for
/// one set of filters (the deconvnet's model) and one forward pass per image (its activations).
public struct BackwardRuleProjections: Sendable {
    /// The digit each image shows, in order.
    public let digits: [Int]
    public let mode: ReconstructionMode
    /// Per rule, `digits.count` × 22 images (1, 28, 28): image by image, conv1's maps 0–5, then
    /// conv2's maps 0–15 (`ConvLayer.allMaps`).
    public let projections: [BackwardRule: [[Float]]]

    /// Projects with `deconvnet`'s filters, seeded and routed by `activations` (one per digit):
    /// each map's pooled activations with every other map zeroed, as `Deconvnet.reconstruct`.
    public init(deconvnet: Deconvnet, activations: [PoolActivations], digits: [Int], mode: ReconstructionMode = .wholeMap, threads: Int = 2) {
        precondition(activations.count == digits.count, "one forward pass per digit")
        let maps = ConvLayer.allMaps
        let jobs = digits.count * maps.count
        // Each (image, map) is computed on its own, so the values do not depend on the threads.
        let all = parallelMap(jobs, threads: threads) { job in
            deconvnet.reconstructions(maps[job % maps.count].layer, map: maps[job % maps.count].map, of: activations[job / maps.count], mode: mode)
        }
        self.init(digits: digits, mode: mode,
                  projections: Dictionary(uniqueKeysWithValues: BackwardRule.allCases.map { rule in (rule, all.map { $0[rule]! }) }))
    }

    init(digits: [Int], mode: ReconstructionMode, projections: [BackwardRule: [[Float]]]) {
        self.digits = digits
        self.mode = mode
        self.projections = projections
    }

    /// Runs `model` on each image (784 floats, pixel / 255) and projects with its own filters.
    public init(model: LeNet5, digits: [Int], images: [[Float]], mode: ReconstructionMode = .wholeMap, threads: Int = 2) {
        self.init(deconvnet: Deconvnet(model: model), activations: Self.forward(model, images), digits: digits, mode: mode, threads: threads)
    }

    /// One forward pass for all images, split per image.
    static func forward(_ model: LeNet5, _ images: [[Float]]) -> [PoolActivations] {
        precondition(images.allSatisfy { $0.count == LeNet5.inputCount }, "images must be 784 floats each")
        let pass = model.forward(images: images.flatMap { $0 })
        return images.indices.map { PoolActivations(pass, image: $0) }
    }

    /// Image `index` (into `digits`) of `layer`'s map `map` under `rule`.
    public func projection(_ rule: BackwardRule, image index: Int, layer: ConvLayer, map: Int) -> [Float] {
        projections[rule]![index * ConvLayer.allMaps.count + (layer == .conv1 ? 0 : ConvLayer.conv1.maps) + map]
    }

    /// `rules.safetensors`: `digit{d}.{rule}.conv{l}.{c}` (1, 28, 28) for every digit, rule and map.
    public func file(metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["rules"] = BackwardRule.allCases.map(\.rawValue).joined(separator: ",")
        file.metadata["digits"] = digits.map(String.init).joined(separator: ",")
        file.metadata["mode"] = mode.rawValue
        for (index, digit) in digits.enumerated() {
            for rule in BackwardRule.allCases {
                for (layer, map) in ConvLayer.allMaps {
                    file["digit\(digit).\(rule.rawValue).\(layer.rawValue).\(map)"] =
                        .init(shape: [1, LeNet5.imageSide, LeNet5.imageSide], values: projection(rule, image: index, layer: layer, map: map))
                }
            }
        }
        return file
    }
}
