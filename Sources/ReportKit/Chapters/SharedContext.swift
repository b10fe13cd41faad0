import Foundation
import Analyses
import Deconvnet
import Network

/// What several templates read about the run as a whole: where the model came from, what it is,
/// and the counts their sentences state, so that they stay true for any `--digits` and any network.
struct SharedContext {
    struct Model {
        let trained: Bool, reused: Bool, loaded: Bool
        let path: String
        /// Whether the network is LeNet-5, and how the prose names it: "LeNet-5", or "the network
        /// read from `FILE`" ("The network …" to open a sentence).
        let isLeNet5: Bool
        let name: String, Name: String
        /// "F16", "BF16 and F64": what the loaded file stored instead of F32; nil when F32.
        let convertedFrom: String?
        /// How a loaded file's tensors were read when not by LeNet-5's own names.
        let tensorNames: String?
        /// The input normalisation, when the model has one.
        let normalization: Normalization?
        /// Where projections onto the input live: "pixel space" or the normalised input's.
        let inputSpace: String
    }

    /// The model's input convention: its formula, where it comes from, and the range of the
    /// normalised pixels 0 and 1.
    struct Normalization {
        let formula: String, std: String, source: String
        let low: String, high: String
    }

    /// One convolutional layer as the prose names it.
    struct Layer {
        /// 1, 2, … by depth; "conv1"; the model file's own name when it differs ("features.3").
        let number: Int, name: String, modelName: String?
        /// "conv1", or "conv1 (`features.0`)" when the file names it otherwise.
        let label: String
        let maps: Int, mapsWord: String, lastMap: Int
        /// "5×5"; the maps it reads and the layer they come from ("the image" for the first).
        let kernel: String
        let inputMaps: Int, inputMapsWord: String, source: String
        /// The block output the analyses visualise: "6×14×14", "14×14", its values ("1,176").
        let output: String, outputSize: String, outputValues: String
        /// Whether a max- or average-pooling ends the block.
        let pooled: Bool
        /// "pool1", or "conv1 output" for a block whose pooling is not numbered as it (or that has none).
        let outputName: String
        /// "pool1 maps (14×14)", "conv1 output maps (26×26, after ReLU)".
        let mapsPhrase: String
        /// "a pool1 unit", "a unit of conv1's output"; capitalised to open a sentence.
        let unit: String, Unit: String
        /// "total pooled activation" or "total activation".
        let activation: String
        /// The receptive field of a unit (y, x): its side, and the rows and columns it spans.
        let field: Int, fieldRows: String, fieldColumns: String
        /// Digit-map pairs of this layer.
        let pairs: Int
        let isFirst: Bool, isLast: Bool
    }

    struct Counts {
        /// The report's digits: how many, in words, listed, and whether there is one only.
        let digits: Int, digitsWord: String, digitList: String
        let oneDigit: Bool
        /// "four images", "one image"; "all four digits", "both digits", "digit 4".
        let images: String, allDigits: String, AllDigits: String
        /// The convolutional layers by depth; the first, the last, and those after the first.
        let layers: [Layer]
        let first: Layer, last: Layer
        let deeper: [Layer]
        /// How many ("two"), whether more than one, whether exactly two; "the convolutional layer",
        /// "both convolutional layers" or "all three …"; "its convolutional layer" or "its two convolutional layers".
        let layerCount: Int, layerCountWord: String, severalLayers: Bool, twoLayers: Bool
        let allLayers: String, itsLayers: String
        /// Every map of every layer, and digit-map pairs.
        let maps: Int, pairs: Int
        /// "conv1 maps 0–5 and conv2 maps 0–15".
        let mapRanges: String
        /// "the six maps of conv1 and the sixteen of conv2".
        let mapsByLayer: String
        /// Whether every block ends in a pooling: the prose then says "pooled".
        let allPooled: Bool
        /// "pooled activation" or "activation": what a map's units are called in general.
        let activation: String
        /// The image: "28×28" and its pixels ("784").
        let imageSize: String, pixels: String
    }

    let model: Model
    let counts: Counts

    init(_ run: RunResults) {
        let obtained = run.obtained, network = run.network
        let signed = { (x: Float) in Formatted.decimal(Double(x), 2) }
        let normalization = network.normalization.map { n in
            Normalization(formula: n.formula, std: "\(n.std)",
                          source: obtained.normalizationFromFile ? "as the model file's metadata records" : "as `--normalize` asks",
                          low: signed((0 - n.mean) / n.std), high: signed((1 - n.mean) / n.std))
        }
        let name = Self.name(of: network, path: obtained.path)
        model = Model(trained: obtained.source == .trained, reused: obtained.source == .reused, loaded: obtained.source == .loaded,
                      path: obtained.path, isLeNet5: network.isLeNet5, name: name, Name: Formatted.capitalized(name),
                      convertedFrom: obtained.convertedFrom.isEmpty ? nil : Formatted.list(obtained.convertedFrom),
                      tensorNames: obtained.tensorNames, normalization: normalization,
                      inputSpace: normalization == nil ? "pixel space" : "the network's normalised input space")
        let n = run.digits.count
        let layers = Self.layers(network, digits: n)
        let all = n == 1 ? "digit \(run.digits[0].digit)" : n == 2 ? "both digits" : "all \(Formatted.count(n)) digits"
        let maps = layers.reduce(0) { $0 + $1.maps }
        let allPooled = layers.allSatisfy(\.pooled)
        counts = Counts(digits: n, digitsWord: Formatted.count(n), digitList: Formatted.list(run.digits.map { "\($0.digit)" }),
                        oneDigit: n == 1, images: Formatted.count(n, "image"), allDigits: all, AllDigits: Formatted.capitalized(all),
                        layers: layers, first: layers.first!, last: layers.last!, deeper: Array(layers.dropFirst()),
                        layerCount: layers.count, layerCountWord: Formatted.count(layers.count), severalLayers: layers.count > 1,
                        twoLayers: layers.count == 2,
                        allLayers: layers.count == 1 ? "the convolutional layer" : layers.count == 2 ? "both convolutional layers"
                            : "all \(Formatted.count(layers.count)) convolutional layers",
                        itsLayers: layers.count == 1 ? "its convolutional layer" : "its \(Formatted.count(layers.count)) convolutional layers",
                        maps: maps, pairs: n * maps,
                        mapRanges: Formatted.list(layers.map { "\($0.name) maps 0–\($0.lastMap)" }),
                        mapsByLayer: Formatted.list(layers.map { ($0.isFirst ? "the \($0.mapsWord) maps of " : "the \($0.mapsWord) of ") + $0.name }),
                        allPooled: allPooled, activation: allPooled ? "pooled activation" : "activation",
                        imageSize: "\(network.imageHeight)×\(network.imageWidth)", pixels: Formatted.integer(network.inputCount))
    }

    /// "LeNet-5", or "the network read from `FILE`".
    static func name(of network: Network, path: String) -> String {
        network.isLeNet5 ? "LeNet-5" : "the network read from `\(path)`"
    }

    /// Whether a pooling ends `layer`'s block.
    static func pooled(_ layer: ConvolutionalLayer, in network: Network) -> Bool {
        switch network.layers[layer.outputLayer] {
        case .maxPool, .averagePool: true
        default: false
        }
    }

    /// The block output's name: its pooling's ("pool1") when the pooling is numbered as its
    /// convolution (as in LeNet-5, where every block pools), otherwise "conv1 output".
    static func outputName(_ layer: ConvolutionalLayer, in network: Network) -> String {
        let name = network.displayNames[layer.outputLayer]
        return pooled(layer, in: network) && name == "pool\(layer.number)" ? name : "\(layer.name) output"
    }

    /// What the block does after its convolution, for a block output not named by its pooling:
    /// "after ReLU", "after ReLU and max-pooling"; empty when nothing follows.
    static func after(_ layer: ConvolutionalLayer, in network: Network) -> String {
        let steps = network.layers[(layer.layer + 1)...layer.outputLayer].compactMap { step -> String? in
            switch step {
            case .relu: "ReLU"
            case .maxPool: "max-pooling"
            case .averagePool: "average pooling"
            default: nil
            }
        }
        return steps.isEmpty ? "" : "after " + Formatted.list(steps)
    }

    static func layers(_ network: Network, digits n: Int) -> [Layer] {
        let blocks = network.convolutionalLayers
        return blocks.enumerated().map { i, layer in
            let conv = layer.convolution, pooled = Self.pooled(layer, in: network)
            let size = "\(layer.outputShape[1])×\(layer.outputShape[2])"
            let outputName = Self.outputName(layer, in: network), named = outputName != "\(layer.name) output"
            let after = Self.after(layer, in: network)
            let unit = named ? "a \(outputName) unit" : "a unit of \(layer.name)'s output"
            // The field of unit (y, x) starts at a·y + b: read a and b off units 0 and 1.
            let first = ReceptiveField.unclipped(network: network, layer: layer, y: 0, x: 0).rows
            let step = layer.outputShape[1] > 1
                ? ReceptiveField.unclipped(network: network, layer: layer, y: 1, x: 0).rows.lowerBound - first.lowerBound : 1
            func span(_ v: String) -> String {
                func offset(_ n: Int) -> String { n == 0 ? "" : n < 0 ? " − \(-n)" : " + \(n)" }
                let term = step == 1 ? "*\(v)*" : "\(step)*\(v)*"
                return "\(term)\(offset(first.lowerBound)) … \(term)\(offset(first.upperBound))"
            }
            let modelName = layer.modelName.flatMap { $0 == layer.name ? nil : $0 }
            return Layer(number: layer.number, name: layer.name, modelName: modelName,
                         label: layer.name + (modelName.map { " (`\($0)`)" } ?? ""),
                         maps: layer.maps, mapsWord: Formatted.count(layer.maps), lastMap: layer.maps - 1,
                         kernel: "\(conv.kernel)×\(conv.kernel)", inputMaps: conv.inChannels, inputMapsWord: Formatted.count(conv.inChannels),
                         source: i == 0 ? "the image" : blocks[i - 1].name,
                         output: layer.outputShape.map(String.init).joined(separator: "×"), outputSize: size,
                         outputValues: Formatted.integer(layer.outputCount), pooled: pooled, outputName: outputName,
                         mapsPhrase: named ? "\(outputName) maps (\(size))" : "\(outputName) maps (\(size)\(after.isEmpty ? "" : ", \(after)"))",
                         unit: unit, Unit: Formatted.capitalized(unit),
                         activation: pooled ? "total pooled activation" : "total activation",
                         field: first.count, fieldRows: span("y"), fieldColumns: span("x"),
                         pairs: n * layer.maps, isFirst: i == 0, isLast: i == blocks.count - 1)
        }
    }
}
