import Deconvnet
import Network

/// Every map of every image projected to pixel space under each of the three backward rules, for
/// one set of filters (the deconvnet's network) and one forward pass per image (its activations).
public struct BackwardRuleProjections: Sendable {
    /// The digit each image shows, in order.
    public let digits: [Int]
    public let mode: ReconstructionMode
    /// The convolutional layers, by depth, and the image size of the projections.
    public let layers: [ConvolutionalLayer]
    public let imageHeight: Int, imageWidth: Int
    /// Per rule, `digits.count` × (all maps) images (1, H, W): image by image, then layer by
    /// layer and map by map (`Network.allMaps`).
    public let projections: [BackwardRule: [[Float]]]

    /// Projects with `deconvnet`'s filters, seeded and routed by `passes` (one trace per digit,
    /// count 1, that reaches the last convolutional block, as `DigitReconstruction.pass`): each
    /// map's block output with every other map zeroed, as `Deconvnet.reconstruct`. One batched
    /// projection per layer and rule.
    public init(deconvnet: Deconvnet, passes: [NetworkPass], digits: [Int], mode: ReconstructionMode = .wholeMap, threads: Int = 2) {
        precondition(passes.count == digits.count, "one forward pass per digit")
        let network = deconvnet.network
        let pass = NetworkPass(joining: passes)
        let maps = network.allMaps, total = maps.count
        var projections: [BackwardRule: [[Float]]] = [:]
        for rule in BackwardRule.allCases {
            var all = [[Float]](repeating: [], count: digits.count * total)
            var column = 0
            for layer in network.convolutionalLayers {
                let requests = digits.indices.flatMap { image in (0..<layer.maps).map { (map: $0, image: image) } }
                let projected = deconvnet.reconstruct(layer, requests, of: pass, mode: mode, rule: rule, threads: threads)
                for (j, request) in requests.enumerated() { all[request.image * total + column + request.map] = projected[j] }
                column += layer.maps
            }
            projections[rule] = all
        }
        self.init(network: network, digits: digits, mode: mode, projections: projections)
    }

    init(network: Network, digits: [Int], mode: ReconstructionMode, projections: [BackwardRule: [[Float]]]) {
        self.digits = digits
        self.mode = mode
        layers = network.convolutionalLayers
        (imageHeight, imageWidth) = (network.imageHeight, network.imageWidth)
        self.projections = projections
    }

    /// Runs `network` on each image (`network.inputCount` floats, pixel / 255) and projects with
    /// its own filters.
    public init(network: Network, digits: [Int], images: [[Float]], mode: ReconstructionMode = .wholeMap, threads: Int = 2) {
        self.init(deconvnet: Deconvnet(network: network), passes: Self.forward(network, images, threads: threads), digits: digits,
                  mode: mode, threads: threads)
    }

    /// One traced pass for all images, split per image.
    static func forward(_ network: Network, _ images: [[Float]], threads: Int = 2) -> [NetworkPass] {
        precondition(images.allSatisfy { $0.count == network.inputCount }, "images must be \(network.inputCount) floats each")
        let pass = network.trace(images: images.flatMap { $0 }, top: network.convolutionalLayers.last!.outputLayer, threads: threads)
        return images.indices.map { pass.image($0) }
    }

    /// Maps per image, over every layer.
    var mapsPerImage: Int { layers.reduce(0) { $0 + $1.maps } }

    /// Where `layer`'s map 0 is among one image's projections.
    func column(_ layer: ConvolutionalLayer) -> Int { layers[..<(layer.number - 1)].reduce(0) { $0 + $1.maps } }

    /// Image `index` (into `digits`) of `layer`'s map `map` under `rule`.
    public func projection(_ rule: BackwardRule, image index: Int, layer: ConvolutionalLayer, map: Int) -> [Float] {
        projections[rule]![index * mapsPerImage + column(layer) + map]
    }

    /// `rules.safetensors`: `digit{d}.{rule}.conv{l}.{c}` (1, H, W) for every digit, rule and map.
    public func file(metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["rules"] = BackwardRule.allCases.map(\.rawValue).joined(separator: ",")
        file.metadata["digits"] = digits.map(String.init).joined(separator: ",")
        file.metadata["mode"] = mode.rawValue
        for (index, digit) in digits.enumerated() {
            for rule in BackwardRule.allCases {
                for layer in layers {
                    for map in 0..<layer.maps {
                        file["digit\(digit).\(rule.rawValue).\(layer.name).\(map)"] =
                            .init(shape: [1, imageHeight, imageWidth], values: projection(rule, image: index, layer: layer, map: map))
                    }
                }
            }
        }
        return file
    }
}

extension NetworkPass {
    /// Image `i` of this pass as a pass of its own (count 1).
    func image(_ i: Int) -> NetworkPass {
        func slice<T>(_ values: [T]) -> [T] {
            let size = values.count / count
            return Array(values[(i * size)..<((i + 1) * size)])
        }
        return NetworkPass(count: 1, outputs: outputs.mapValues(slice), switches: switches.mapValues(slice),
                           logProbabilities: logProbabilities.isEmpty ? [] : slice(logProbabilities))
    }

    /// Passes over one image each (or more), one after another as one pass: what each kept, in
    /// order (every pass must have kept the same layers).
    init(joining passes: [NetworkPass]) {
        precondition(!passes.isEmpty, "no passes")
        let first = passes[0]
        precondition(passes.allSatisfy { Set($0.outputs.keys) == Set(first.outputs.keys) && Set($0.switches.keys) == Set(first.switches.keys) },
                     "the passes kept different layers")
        self.init(count: passes.reduce(0) { $0 + $1.count },
                  outputs: Dictionary(uniqueKeysWithValues: first.outputs.keys.map { k in (k, passes.flatMap { $0.outputs[k]! }) }),
                  switches: Dictionary(uniqueKeysWithValues: first.switches.keys.map { k in (k, passes.flatMap { $0.switches[k]! }) }),
                  logProbabilities: passes.flatMap(\.logProbabilities))
    }
}
