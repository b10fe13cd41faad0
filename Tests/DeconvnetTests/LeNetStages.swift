import Deconvnet
@testable import Network

/// LeNet-5's two convolutional stages, for the Double references these tests compare the
/// deconvnet with: each one's convolution, max-pool and parameters, and `layer`, its block in
/// `LeNet5.network`, which the deconvnet takes.
enum Stage: Int, CaseIterable, CustomStringConvertible {
    case conv1, conv2

    var conv: Conv2D { self == .conv1 ? LeNet5.conv1 : LeNet5.conv2 }
    var pool: MaxPool2D { self == .conv1 ? LeNet5.pool1 : LeNet5.pool2 }
    var weights: LeNet5.Parameter { self == .conv1 ? .conv1Weight : .conv2Weight }
    var bias: LeNet5.Parameter { self == .conv1 ? .conv1Bias : .conv2Bias }
    var maps: Int { conv.outChannels }
    var layer: ConvolutionalLayer { Self.layers[rawValue] }
    var description: String { "conv\(rawValue + 1)" }

    static let layers = LeNet5(seed: 0).network.convolutionalLayers
    /// All 22 maps, conv1's then conv2's.
    static let allMaps: [(layer: Stage, map: Int)] = allCases.flatMap { stage in (0..<stage.maps).map { (stage, $0) } }
}

/// One image's LeNet-5 pass as the references read it (`LeNet5.forward`: pooled maps and their
/// switches), with the network's trace of the same image, which the deconvnet reads.
struct Pooled {
    let pass: ForwardPass
    let trace: NetworkPass

    init(_ model: LeNet5, _ image: [Float]) {
        pass = model.forward(images: image)
        let network = model.network
        trace = network.trace(images: image, top: network.convolutionalLayers.last!.outputLayer)
    }

    func pooled(_ stage: Stage) -> [Float] { stage == .conv1 ? pass.pool1 : pass.pool2 }
    func switches(_ stage: Stage) -> [Int32] { stage == .conv1 ? pass.pool1Switches : pass.pool2Switches }
    var pool1: [Float] { pass.pool1 }
    var pool2: [Float] { pass.pool2 }
}

extension Deconvnet {
    /// One map of a LeNet-5 stage through the general API: `reconstruct(_:map:image:of:mode:rule:)`.
    func reconstruct(_ stage: Stage, map: Int, of a: Pooled, mode: ReconstructionMode = .wholeMap, rule: BackwardRule = .deconvnet) -> [Float] {
        reconstruct(stage.layer, map: map, of: a.trace, mode: mode, rule: rule)
    }

    /// `pooled` (one image's block output of `stage`) with every map but `map` zeroed: `Deconvnet.seed`.
    static func keep(map: Int, of pooled: [Float], stage: Stage, mode: ReconstructionMode) -> [Float] {
        seed(stage.layer, map: map, of: pooled[...], mode: mode)
    }
}

/// A network that is not LeNet-5: three convolutional layers (the second of stride 2 and without
/// pooling, the third average-pooled), two linear layers, seeded random weights.
func otherNetwork(seed: UInt64) -> Network {
    let kinds: [Layer.Kind] = [
        .convolution(outChannels: 4, kernel: 3, stride: 1, padding: 1), .relu, .maxPool(kernel: 2, stride: 2),   // 4 × 14 × 14
        .convolution(outChannels: 6, kernel: 3, stride: 2, padding: 1), .relu,                                   // 6 × 7 × 7
        .convolution(outChannels: 8, kernel: 3, stride: 1, padding: 0), .relu, .averagePool(kernel: 2, stride: 1), // 8 × 4 × 4
        .flatten, .linear(outFeatures: 12), .relu, .linear(outFeatures: 10),
    ]
    let count = 4 * 9 + 4 + 6 * 4 * 9 + 6 + 8 * 6 * 9 + 8 + 128 * 12 + 12 + 12 * 10 + 10
    var random = SplitMix64(seed: seed)
    let parameters = (0..<count).map { _ in (2 * random.nextUnitFloat() - 1) * 0.4 }
    return try! Network(imageHeight: 28, imageWidth: 28, kinds: kinds, parameters: parameters)
}
