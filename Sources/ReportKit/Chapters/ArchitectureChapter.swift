import Charts
import Network

/// The chapter on the layers with their output sizes, each from O = (I + 2P − K)/S + 1, computed
/// from the network itself.
struct ArchitectureChapter: Chapter {
    struct Layer {
        let name: String, operation: String
        let kernel: String, stride: String, padding: String
        let output: String
        let parameters: String
    }

    struct Context {
        let parameterCount: String
        let layers: [Layer]
        /// "two convolutional layers and two fully connected layers" (for a network not LeNet-5).
        let shape: String
        /// Worked examples of O = …: the first convolution, the first pooling and the second
        /// convolution, whichever exist, in the chain's order, each with what it does to the size.
        let examples: String
        let forwardMFLOP: String
        /// A training step's cost, for LeNet-5, whose training the engine runs; nil otherwise.
        let trainingMFLOP: String?
        /// What the max-pool layers keep for the deconvnet, in a sentence.
        let switches: String
        /// Whether the file names some layer otherwise than the table ("features.3" for conv2).
        let otherNames: Bool
    }

    static let name = "architecture"
    let figures: [NamedFigure]
    let tables = ["architecture"]
    let context: Context

    init(_ run: RunResults) {
        let network = run.network
        figures = [("architecture", Self.diagram(network))]
        let names = network.displayNames
        let summary = network.summary
        func size(_ s: Int?) -> String { s.map(String.init) ?? "–" }
        let layers = summary.enumerated().map { i, layer in
            // summary[0] is the input; layer i of the chain is summary[i + 1].
            let modelName = i == 0 ? nil : network.modelNames[i - 1].flatMap { $0 == layer.name ? nil : $0 }
            return Layer(name: layer.name + (modelName.map { " (`\($0)`)" } ?? ""), operation: layer.operation,
                         kernel: layer.kernel.map { "\($0)×\($0)" } ?? "–", stride: size(layer.stride), padding: size(layer.padding),
                         output: layer.outputShape.map(String.init).joined(separator: "×"),
                         parameters: Formatted.integer(layer.parameterCount))
        }
        let convolutions = network.layers.filter { if case .convolution = $0 { true } else { false } }.count
        let linear = network.layers.filter { if case .linear = $0 { true } else { false } }.count
        let pools = network.layers.filter { if case .maxPool = $0 { true } else { false } }.count
        let switches = pools == 0 ? "The network has no max-pooling, so the deconvnet needs no switches."
            : pools == 1 ? "The max-pool layer records its *switches*, where each maximum was; the deconvnet needs them."
            : "The max-pool layers record their *switches*, where each maximum was; the deconvnet needs them."
        context = Context(
            parameterCount: Formatted.integer(network.parameterCount), layers: layers,
            shape: "\(Formatted.count(convolutions, "convolutional layer")) and \(Formatted.count(linear, "fully connected layer"))",
            examples: Self.examples(network, names: names),
            forwardMFLOP: Formatted.decimal(Double(network.forwardFLOPs) / 1e6, 2),
            trainingMFLOP: network.isLeNet5 ? Formatted.decimal(Double(LeNet5.trainingFLOPs) / 1e6, 2) : nil,
            switches: switches,
            otherNames: network.modelNames.enumerated().contains { i, name in name.map { $0 != names[i] } ?? false })
    }

    /// "conv1 keeps the 28×28 size because it pads by 2: (28 + 2·2 − 5) / 1 + 1 = 28; pool1 halves
    /// it: (28 − 2) / 2 + 1 = 14; conv2 has no padding and shrinks it: (14 − 5) / 1 + 1 = 10".
    static func examples(_ network: Network, names: [String]) -> String {
        var convolutions = 0, pools = 0
        var parts: [String] = []
        for (i, layer) in network.layers.enumerated() {
            let subject = parts.isEmpty ? "the \(network.inputShape(of: i)[1])×\(network.inputShape(of: i)[2]) input" : "it"
            switch layer {
            case .convolution(let c) where convolutions < 2:
                convolutions += 1
                let formula = c.padding > 0 ? "(\(c.inputHeight) + 2·\(c.padding) − \(c.kernel)) / \(c.stride) + 1 = \(c.outputHeight)"
                    : "(\(c.inputHeight) − \(c.kernel)) / \(c.stride) + 1 = \(c.outputHeight)"
                let what: String
                if c.outputHeight == c.inputHeight {
                    what = parts.isEmpty ? "keeps the \(c.inputHeight)×\(c.inputWidth) size because it pads by \(c.padding)"
                        : "keeps its size because it pads by \(c.padding)"
                } else if c.padding == 0 {
                    what = "has no padding and \(c.outputHeight < c.inputHeight ? "shrinks" : "grows") \(subject)"
                } else {
                    what = "pads by \(c.padding) and \(c.outputHeight < c.inputHeight ? "shrinks" : "grows") \(subject)"
                }
                parts.append("\(names[i]) \(what): \(formula)")
            case .convolution:
                convolutions += 1
            case .maxPool(let p) where pools < 1, .averagePool(let p) where pools < 1:
                pools += 1
                let formula = "(\(p.inputHeight) − \(p.kernel)) / \(p.stride) + 1 = \(p.outputHeight)"
                let what = p.outputHeight * 2 == p.inputHeight ? "halves \(subject)" : "shrinks \(subject)"
                parts.append("\(names[i]) \(what): \(formula)")
            default:
                break
            }
        }
        return parts.joined(separator: "; ")
    }

    static func diagram(_ network: Network) -> ArchitectureDiagram {
        ArchitectureDiagram(stages: network.summary.map { layer in
            let detail: String
            switch layer.operation {
            case "Conv2d":
                detail = "\(layer.outputShape[0])@\(layer.kernel!)×\(layer.kernel!)" + (layer.padding! > 0 ? ", pad \(layer.padding!)" : "")
                    + (layer.stride! > 1 ? ", stride \(layer.stride!)" : "")
            case "MaxPool2d": detail = "max \(layer.kernel!)×\(layer.kernel!)/\(layer.stride!)"
            case "AvgPool2d": detail = "mean \(layer.kernel!)×\(layer.kernel!)/\(layer.stride!)"
            case "Linear": detail = "\(layer.outputShape[0]) units"
            default: detail = layer.operation
            }
            return .init(name: layer.name, detail: detail, shape: layer.outputShape.map(String.init).joined(separator: "×"))
        })
    }
}
