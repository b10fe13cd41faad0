import Charts
import Network

/// The chapter on the layers with their output sizes, each from O = (I + 2P − K)/S + 1.
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
        let example1: String, example2: String, example3: String
        let forwardMFLOP: String, trainingMFLOP: String
    }

    static let name = "architecture"
    let figures: [NamedFigure] = [("architecture", Self.diagram())]
    let tables = ["architecture"]

    init(_ run: RunResults) {}

    var context: Context {
        func size(_ s: Int?) -> String { s.map(String.init) ?? "–" }
        let c1 = LeNet5.conv1, p1 = LeNet5.pool1, c2 = LeNet5.conv2
        return Context(
            parameterCount: Formatted.integer(LeNet5.parameterCount),
            layers: LeNet5.layers.map { layer in
                Layer(name: layer.name, operation: layer.operation,
                      kernel: layer.kernel.map { "\($0)×\($0)" } ?? "–", stride: size(layer.stride), padding: size(layer.padding),
                      output: layer.outputShape.map(String.init).joined(separator: "×"),
                      parameters: Formatted.integer(layer.parameterCount))
            },
            example1: "(\(c1.inputHeight) + 2·\(c1.padding) − \(c1.kernel)) / \(c1.stride) + 1 = \(c1.outputHeight)",
            example2: "(\(p1.inputHeight) − \(MaxPool2D.window)) / \(MaxPool2D.window) + 1 = \(p1.outputHeight)",
            example3: "(\(c2.inputHeight) − \(c2.kernel)) / \(c2.stride) + 1 = \(c2.outputHeight)",
            forwardMFLOP: Formatted.decimal(Double(LeNet5.forwardFLOPs) / 1e6, 2),
            trainingMFLOP: Formatted.decimal(Double(LeNet5.trainingFLOPs) / 1e6, 2))
    }

    static func diagram() -> ArchitectureDiagram {
        ArchitectureDiagram(stages: LeNet5.layers.map { layer in
            let detail: String
            switch layer.operation {
            case "Conv2d":
                detail = "\(layer.outputShape[0])@\(layer.kernel!)×\(layer.kernel!)" + (layer.padding! > 0 ? ", pad \(layer.padding!)" : "")
            case "MaxPool2d": detail = "max \(layer.kernel!)×\(layer.kernel!)/\(layer.stride!)"
            case "Linear": detail = "\(layer.outputShape[0]) units"
            default: detail = layer.operation
            }
            return .init(name: layer.name, detail: detail, shape: layer.outputShape.map(String.init).joined(separator: "×"))
        })
    }
}
