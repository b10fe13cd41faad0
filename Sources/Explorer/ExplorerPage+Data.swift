import Foundation
import Network

extension ExplorerPage {
    /// A tensor as the page reads it: its dtype, shape, and its little-endian bytes in base64.
    struct Tensor: Encodable {
        let dtype: String
        let shape: [Int]
        let data: String

        init(shape: [Int], floats: some Collection<Float>) {
            var bytes = [UInt8]()
            bytes.reserveCapacity(floats.count * 4)
            for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            (dtype, self.shape, data) = ("F32", shape, Data(bytes).base64EncodedString())
        }

        init(shape: [Int], bytes: [UInt8]) {
            (dtype, self.shape, data) = ("U8", shape, Data(bytes).base64EncodedString())
        }
    }

    struct Images: Encodable {
        let indices: [Int]
        let labels: [Int]
        /// (n, H, W).
        let pixels: Tensor
    }

    /// One layer as `network.js` reads it: its kind, names, output shape and the geometry its kind
    /// has (nil fields are left out of the JSON).
    struct LayerDescription: Encodable {
        let kind: String
        /// conv1, relu1, pool1, flatten, fc1, …, log_softmax.
        let name: String
        /// The model file's own name, where it has one.
        let modelName: String?
        let outputShape: [Int]
        var inChannels: Int?, outChannels: Int?, channels: Int?
        var kernel: Int?, stride: Int?, padding: Int?
        var inputHeight: Int?, inputWidth: Int?, outputHeight: Int?, outputWidth: Int?
        var inFeatures: Int?, outFeatures: Int?
        /// Where its weights start in the parameters; its bias follows them.
        var offset: Int?

        init(_ layer: Layer, name: String, modelName: String?, outputShape: [Int], offset: Int) {
            (self.name, self.modelName, self.outputShape) = (name, modelName, outputShape)
            switch layer {
            case .convolution(let c):
                kind = "convolution"
                (inChannels, outChannels, kernel, stride, padding) = (c.inChannels, c.outChannels, c.kernel, c.stride, c.padding)
                (inputHeight, inputWidth, outputHeight, outputWidth) = (c.inputHeight, c.inputWidth, c.outputHeight, c.outputWidth)
                self.offset = offset
            case .maxPool(let p), .averagePool(let p):
                if case .maxPool = layer { kind = "maxPool" } else { kind = "averagePool" }
                (channels, kernel, stride) = (p.channels, p.kernel, p.stride)
                (inputHeight, inputWidth, outputHeight, outputWidth) = (p.inputHeight, p.inputWidth, p.outputHeight, p.outputWidth)
            case .linear(let l):
                kind = "linear"
                (inFeatures, outFeatures, self.offset) = (l.inFeatures, l.outFeatures, offset)
            case .relu: kind = "relu"
            case .flatten: kind = "flatten"
            case .logSoftmax: kind = "logSoftmax"
            }
        }
    }

    /// A convolutional layer's block: `conv1`, …, its convolution and output layers' indices.
    struct ConvolutionalDescription: Encodable {
        let name: String
        let modelName: String?
        let layer: Int
        let outputLayer: Int
        let maps: Int
        let outputShape: [Int]
    }

    /// The network as `network.js` reads it (its comment gives the format).
    struct NetworkDescription: Encodable {
        let title: String
        let imageHeight: Int, imageWidth: Int
        let classes: Int
        let normalization: InputNormalization?
        let parameterCount: Int
        let layers: [LayerDescription]
        let convolutionalLayers: [ConvolutionalDescription]

        init(_ network: Network, title: String) {
            self.title = title
            (imageHeight, imageWidth, classes) = (network.imageHeight, network.imageWidth, network.classes)
            normalization = network.normalization.flatMap { $0.isIdentity ? nil : $0 }
            parameterCount = network.parameterCount
            let names = network.displayNames
            layers = network.layers.indices.map { i in
                LayerDescription(network.layers[i], name: names[i], modelName: network.modelNames[i], outputShape: network.outputShapes[i],
                                 offset: network.parameterOffsets[i])
            }
            convolutionalLayers = network.convolutionalLayers.map {
                ConvolutionalDescription(name: $0.name, modelName: $0.modelName, layer: $0.layer, outputLayer: $0.outputLayer,
                                         maps: $0.maps, outputShape: $0.outputShape)
            }
        }
    }

    /// Everything the script reads: the network and its parameters, the images, and for each map
    /// of each convolutional layer its top images and the report's digits, as test indices.
    struct Embedded: Encodable {
        let network: NetworkDescription
        let parameters: Tensor
        let images: Images
        let top: [[[Int]]]
        let report: [Int]
    }

    /// The embedded data as JSON, with sorted keys so that the same inputs give the same page.
    /// Base64 and numbers hold no `<`, and names are escaped by the encoder where they would, so
    /// the JSON can stand inside a script element.
    func embeddedJSON() -> String {
        let embedded = Embedded(
            network: NetworkDescription(network, title: title),
            parameters: Tensor(shape: [network.parameterCount], floats: network.parameters),
            images: Images(indices: images.map(\.index), labels: images.map(\.label),
                           pixels: Tensor(shape: [images.count, network.imageHeight, network.imageWidth], bytes: images.flatMap(\.pixels))),
            top: topImages, report: reportImages)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A model's own layer names are the only free text: no `</script` may end the element early.
        // (Byte by byte: "<" is never part of a longer UTF-8 sequence.)
        var json: [UInt8] = []
        for byte in try! encoder.encode(embedded) {
            if byte == UInt8(ascii: "<") { json += Array("\\u003c".utf8) } else { json.append(byte) }
        }
        return String(decoding: json, as: UTF8.self)
    }
}
