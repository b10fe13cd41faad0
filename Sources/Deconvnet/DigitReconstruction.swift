import Foundation
import Network

/// Every map of every convolutional layer of one test image, projected to pixels, with what they came from.
public struct DigitReconstruction: Sendable {
    public let digit: Int
    public let testIndex: Int
    public let predicted: Int
    /// The model's probability that the image shows `digit`.
    public let probability: Float
    public var correct: Bool { predicted == digit }
    /// (1, H, W), the image as the network saw it, in pixels.
    public let input: [Float]
    /// The image's forward pass (count 1), with all that a projection from its last block needs.
    public let pass: NetworkPass
    /// Per convolutional layer (by depth), one (1, H, W) projection per map.
    public let maps: [[[Float]]]

    /// Runs the network on `image` and reconstructs every map of every convolutional layer, one
    /// batched projection per layer.
    public init(digit: Int, testIndex: Int, image: [Float], deconvnet: Deconvnet, mode: ReconstructionMode, threads: Int = 2) {
        let network = deconvnet.network
        let pass = network.trace(images: image, top: network.convolutionalLayers.last!.outputLayer)
        self.digit = digit
        self.testIndex = testIndex
        predicted = pass.predictions[0]
        probability = Foundation.exp(pass.logProbabilities[digit])
        input = image
        self.pass = pass
        maps = network.convolutionalLayers.map { deconvnet.reconstructAll($0, of: pass, mode: mode, threads: threads) }
    }

    public func reconstructions(_ layer: ConvolutionalLayer) -> [[Float]] { maps[layer.number - 1] }

    /// Every map of every convolutional layer reconstructed again from the kept pass in `mode`,
    /// per layer as `maps` (to set the two modes side by side).
    public func maps(in mode: ReconstructionMode, deconvnet: Deconvnet, threads: Int = 2) -> [[[Float]]] {
        deconvnet.network.convolutionalLayers.map { deconvnet.reconstructAll($0, of: pass, mode: mode, threads: threads) }
    }

    /// The block output of `layer` (after its ReLU and pooling), (C, h, w).
    public func output(_ layer: ConvolutionalLayer) -> [Float] { Array(pass.output(layer.outputLayer, image: 0)) }

    /// The tensors and metadata of `deconvnet.safetensors` for a set of digits: per digit
    /// `digit{d}.input` (1, H, W), `digit{d}.conv{l}.output` (C, h, w) and one
    /// `digit{d}.conv{l}.{c}` (1, H, W) per map.
    public static func file(_ digits: [DigitReconstruction], network: Network, mode: ReconstructionMode,
                            metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["mode"] = mode.rawValue
        file.metadata["digits"] = digits.map { "\($0.digit)" }.joined(separator: ",")
        let image = [1, network.imageHeight, network.imageWidth]
        for d in digits {
            let key = "digit\(d.digit)"
            file.metadata["\(key).test_index"] = "\(d.testIndex)"
            file.metadata["\(key).predicted"] = "\(d.predicted)"
            file["\(key).input"] = .init(shape: image, values: d.input)
            // The block outputs first, then the projections: the order of the data in the file.
            for layer in network.convolutionalLayers {
                file["\(key).\(layer.name).output"] = .init(shape: layer.outputShape, values: d.output(layer))
            }
            for layer in network.convolutionalLayers {
                for (map, projection) in d.reconstructions(layer).enumerated() {
                    file["\(key).\(layer.name).\(map)"] = .init(shape: image, values: projection)
                }
            }
        }
        return file
    }
}
