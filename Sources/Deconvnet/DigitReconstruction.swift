import Foundation
import Network

/// All 22 reconstructions of one test image, with what they came from.
public struct DigitReconstruction: Sendable {
    public let digit: Int
    public let testIndex: Int
    public let predicted: Int
    /// The model's probability that the image shows `digit`.
    public let probability: Float
    public var correct: Bool { predicted == digit }
    /// (1, 28, 28), the image as the network saw it.
    public let input: [Float]
    public let activations: PoolActivations
    /// Six and sixteen (1, 28, 28) images, one per map.
    public let conv1: [[Float]]
    public let conv2: [[Float]]

    /// Runs the model on `image` and reconstructs every map of both layers.
    public init(digit: Int, testIndex: Int, image: [Float], deconvnet: Deconvnet, mode: ReconstructionMode) {
        let pass = deconvnet.model.forward(images: image)
        let activations = PoolActivations(pass, image: 0)
        self.digit = digit
        self.testIndex = testIndex
        predicted = pass.predictions[0]
        probability = Foundation.exp(pass.logProbabilities[digit])
        input = image
        self.activations = activations
        conv1 = (0..<ConvLayer.conv1.maps).map { deconvnet.reconstruct(.conv1, map: $0, of: activations, mode: mode) }
        conv2 = (0..<ConvLayer.conv2.maps).map { deconvnet.reconstruct(.conv2, map: $0, of: activations, mode: mode) }
    }

    public func reconstructions(_ layer: ConvLayer) -> [[Float]] { layer == .conv1 ? conv1 : conv2 }

    /// The tensors and metadata of `deconvnet.safetensors` for a set of digits.
    public static func file(_ digits: [DigitReconstruction], mode: ReconstructionMode, metadata: [String: String]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        file.metadata["mode"] = mode.rawValue
        file.metadata["digits"] = digits.map { "\($0.digit)" }.joined(separator: ",")
        let side = LeNet5.imageSide
        for d in digits {
            let key = "digit\(d.digit)"
            file.metadata["\(key).test_index"] = "\(d.testIndex)"
            file.metadata["\(key).predicted"] = "\(d.predicted)"
            file["\(key).input"] = .init(shape: [1, side, side], values: d.input)
            for layer in ConvLayer.allCases {
                let pool = layer.pool
                file["\(key).pool\(layer == .conv1 ? 1 : 2)"] = .init(shape: [pool.channels, pool.outputHeight, pool.outputWidth],
                                                                      values: d.activations.pooled(layer))
            }
            for layer in ConvLayer.allCases {
                for (map, image) in d.reconstructions(layer).enumerated() {
                    file["\(key).\(layer.rawValue).\(map)"] = .init(shape: [1, side, side], values: image)
                }
            }
        }
        return file
    }
}
