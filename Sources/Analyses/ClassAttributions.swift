import Foundation
import Network

/// What each pixel did for the network's decision: for every image, the nine attributions of
/// `AttributionMethod` of the log-probability of one class `c` (by default the predicted one),
/// in the network's input units (the normalised input when the network normalises; pixels,
/// byte / 255, otherwise), each as Captum computes it:
///
/// - **gradient**: ∂ log p_c / ∂x (`Saliency(abs=False)`); **gradient × input**: that times x
///   (`InputXGradient`).
/// - **Integrated Gradients**: (x − b) · Σₖ wₖ ∂ log p_c / ∂x at b + αₖ (x − b), the baseline b the
///   blank image (0 in pixels), αₖ = k / 63 for k = 0 … 63 and wₖ = 1/64 except w₀ = w₆₃ = 1/128:
///   Captum's `IntegratedGradients(method="riemann_trapezoid", n_steps=64)`, whose weights sum to
///   63/64. The path's images are αₖ times the pixels, normalised by the network.
/// - **SmoothGrad**: the mean gradient over 32 copies of the image with Gaussian noise of
///   σ = 0.15 pixel units added to the pixels (`AttributionStreams.smoothGradNoise`).
/// - **Grad-CAM** at the last convolutional layer's rectified output before pooling
///   (`Network.gradCAMLayer`): ReLU(Σₘ aₘ Aₘ), aₘ the mean over its plane of map m's gradient,
///   upsampled to the input by PyTorch's bilinear interpolation (`align_corners=False`)
///   (`LayerGradCam(relu_attributions=True)` and `LayerAttribution.interpolate(…, "bilinear")`);
///   **guided Grad-CAM**: guided backpropagation times that map (`GuidedGradCam(…,
///   interpolate_mode="bilinear")`).
/// - **guided backpropagation** and **deconvnet**: `Network.backward` from the class's
///   log-probability with the `guided` and `deconvnet` ReLU rules (`GuidedBackprop`, `Deconvolution`).
/// - **occlusion**: a 7 × 7 square of blank paper at each of the (H − 6)(W − 6) positions inside
///   the image; each pixel gets the mean of log p_c(x) − log p_c(occluded) over the squares that
///   cover it (`Occlusion(sliding_window_shapes=(1, 7, 7), strides=1)`).
///
/// Every backward pass starts at the logits (the layer before the log-softmax) with the gradient
/// of log p_c there, e_c − softmax: −p_k = −exp(log p_k) for k ≠ c, and for c the sum of those p_k
/// in class order, which is 1 − p_c without the cancellation that 1 − exp(log p_c) suffers in
/// Float when the network is sure (p_c within 10⁻⁶ of 1 leaves that difference a few per cent off).
///
/// Convolutions are taken back by `ConvolutionBackward.columns` (a matrix product, then col2im).
///
/// Order of operations: every pass of the engine computes an image's values independently of
/// its batch and thread count; the sums here run in a fixed order per image in Float (the path's
/// steps k = 0 … 63, the noisy copies 0 … 31, a map's plane row by row and the maps in order, the
/// squares by their top-left corner row by row), so the result is the same bits on every AVX2
/// machine, for any batch and `threads`.
public struct ClassAttributions: Sendable {
    public static let integratedGradientsSteps = 64
    public static let smoothGradSamples = 32
    /// In pixel units (byte / 255).
    public static let smoothGradSigma: Float = 0.15
    public static let occlusionPatch = 7

    public let imageHeight: Int, imageWidth: Int
    /// Each image's stream index for SmoothGrad's noise: its test index.
    public let indices: [Int]
    /// The class explained, per image.
    public let classes: [Int]
    /// log p_c of each image, and of the blank image (Integrated Gradients' baseline).
    public let logProbabilities: [Float]
    public let blankLogProbabilities: [Float]
    /// Per method, `count` × H × W values, image by image.
    public let values: [AttributionMethod: [Float]]

    public var count: Int { classes.count }
    var pixels: Int { imageHeight * imageWidth }

    /// Computes every method for `images` (`network.inputCount` pixels each, byte / 255), whose
    /// test indices are `indices`, explaining `classes` (nil: each image's predicted class, the
    /// first of equal log-probabilities). Images are taken a few at a time, in order.
    public init(network: Network, images: [Float], indices: [Int], classes: [Int]? = nil, seed: UInt64, threads: Int = 2) {
        let pixels = network.inputCount
        precondition(images.count == indices.count * pixels, "one index per image of \(pixels) pixels")
        precondition(classes.map { $0.count == indices.count && $0.allSatisfy((0..<network.classes).contains) } ?? true,
                     "one class per image, each one of the network's")
        precondition(network.imageHeight >= Self.occlusionPatch && network.imageWidth >= Self.occlusionPatch,
                     "the image is smaller than the occluding square")
        let group = Self.groupSize(network)
        var parts: [Part] = []
        for start in stride(from: 0, to: indices.count, by: group) {
            let end = min(start + group, indices.count)
            parts.append(Self.part(network, images: Array(images[(start * pixels)..<(end * pixels)]), indices: Array(indices[start..<end]),
                                   classes: classes.map { Array($0[start..<end]) }, seed: seed, threads: threads))
        }
        self.init(imageHeight: network.imageHeight, imageWidth: network.imageWidth, indices: indices,
                  classes: parts.flatMap(\.classes), logProbabilities: parts.flatMap(\.logProbabilities),
                  blankLogProbabilities: parts.flatMap(\.blankLogProbabilities),
                  values: Dictionary(uniqueKeysWithValues: AttributionMethod.allCases.map { m in (m, parts.flatMap { $0.values[m]! }) }))
    }

    init(imageHeight: Int, imageWidth: Int, indices: [Int], classes: [Int], logProbabilities: [Float], blankLogProbabilities: [Float],
         values: [AttributionMethod: [Float]]) {
        self.imageHeight = imageHeight
        self.imageWidth = imageWidth
        self.indices = indices
        self.classes = classes
        self.logProbabilities = logProbabilities
        self.blankLogProbabilities = blankLogProbabilities
        self.values = values
    }

    /// Image `i`'s attribution by `method`, H × W.
    public func attribution(_ method: AttributionMethod, image i: Int) -> [Float] {
        Array(values[method]![(i * pixels)..<((i + 1) * pixels)])
    }

    /// Integrated Gradients' completeness error per image: the sum of its attributions (in
    /// Double, pixel by pixel) minus log p_c(x) − log p_c(blank).
    public var completenessErrors: [Double] {
        (0..<count).map { i in
            let sum = attribution(.integratedGradients, image: i).reduce(0.0) { $0 + Double($1) }
            return sum - (Double(logProbabilities[i]) - Double(blankLogProbabilities[i]))
        }
    }

    /// Images per group: at most 8, and fewer when the traces of a group's 64-step paths would
    /// keep more than 8 M floats (a large network). The result does not depend on it.
    static func groupSize(_ network: Network) -> Int {
        let top = network.layers.count - 1
        let kept = network.tracedLayers(below: top).reduce(0) { $0 + network.outputShapes[$1].reduce(1, *) }
        return max(1, min(8, (8 << 20) / max(1, integratedGradientsSteps * kept)))
    }

    private struct Part {
        var classes: [Int]
        var logProbabilities: [Float], blankLogProbabilities: [Float]
        var values: [AttributionMethod: [Float]]
    }

    /// Every method for a few images.
    private static func part(_ network: Network, images x: [Float], indices: [Int], classes: [Int]?, seed: UInt64, threads: Int) -> Part {
        let g = indices.count, top = network.layers.count - 1, cam = network.gradCAMLayer, k = network.classes
        let sources = Array(0..<g)
        let pass = network.forward(images: x, keeping: network.rectifiedLayers.union([cam]), switches: true, threads: threads)
        let c = classes ?? pass.predictions
        let seeds = logitSeeds(pass.logProbabilities, classes: c, count: k)
        func backward(_ rule: BackwardRule, to bottom: Int = 0) -> [Float] {
            network.backward(seeds, from: top - 1, to: bottom, through: pass, sources: sources, rule: rule, convolutions: .columns,
                             threads: threads)
        }
        let gradient = backward(.gradient), guided = backward(.guided), deconvnet = backward(.deconvnet)
        let input = network.inputUnits(x)
        let gradCAM = Self.gradCAM(activations: pass.outputs[cam]!, gradients: backward(.gradient, to: cam + 1),
                                   count: g, shape: network.outputShapes[cam], height: network.imageHeight, width: network.imageWidth)
        let (integrated, blank) = integratedGradients(network, images: x, input: input, classes: c, threads: threads)
        var values: [AttributionMethod: [Float]] = [
            .gradient: gradient,
            .gradientXInput: zip(gradient, input).map(*),
            .integratedGradients: integrated,
            .smoothGrad: smoothGrad(network, images: x, indices: indices, classes: c, seed: seed, threads: threads),
            .gradCAM: gradCAM,
            .guidedGradCAM: zip(guided, gradCAM).map(*),
            .guidedBackprop: guided,
            .deconvnet: deconvnet,
        ]
        values[.occlusion] = occlusion(network, images: x, classes: c, threads: threads)
        return Part(classes: c, logProbabilities: (0..<g).map { pass.logProbabilities[$0 * k + c[$0]] }, blankLogProbabilities: blank,
                    values: values)
    }

    /// The gradient of log p_c with respect to the logits for each image (`classes`, one per row
    /// of `logProbabilities`): −p_k for k ≠ c, and Σ_{k ≠ c} p_k, summed in class order, for c.
    static func logitSeeds(_ logProbabilities: [Float], classes: [Int], count k: Int) -> [Float] {
        var seeds = [Float](repeating: 0, count: classes.count * k)
        for (i, c) in classes.enumerated() {
            var others: Float = 0
            for j in 0..<k where j != c {
                let p = exp(logProbabilities[i * k + j])
                seeds[i * k + j] = -p
                others += p
            }
            seeds[i * k + c] = others
        }
        return seeds
    }

    /// ReLU(Σₘ aₘ Aₘ) per image, upsampled to `height` × `width`; `activations` and `gradients`
    /// (count, C, h, w).
    static func gradCAM(activations: [Float], gradients: [Float], count g: Int, shape: [Int], height: Int, width: Int) -> [Float] {
        let (maps, h, w) = (shape[0], shape[1], shape[2]), plane = h * w
        var result = [Float]()
        result.reserveCapacity(g * height * width)
        for i in 0..<g {
            var map = [Float](repeating: 0, count: plane)
            for m in 0..<maps {
                let base = (i * maps + m) * plane
                var sum: Float = 0
                for p in 0..<plane { sum += gradients[base + p] }
                let weight = sum / Float(plane)
                for p in 0..<plane { map[p] += weight * activations[base + p] }
            }
            result += bilinear(map.map { max($0, 0) }, height: h, width: w, toHeight: height, width: width)
        }
        return result
    }

    /// PyTorch's `F.interpolate(mode="bilinear", align_corners=False)` of one h × w plane: output
    /// (y, x) reads the input at ((y + ½) h/H − ½, (x + ½) w/W − ½), clamped at 0, interpolating
    /// between that position's row and column and the next (the last repeated at the edge).
    static func bilinear(_ plane: [Float], height h: Int, width w: Int, toHeight height: Int, width: Int) -> [Float] {
        func source(_ d: Int, _ size: Int, _ out: Int) -> (Int, Int, Float) {
            let s = max((Float(d) + 0.5) * (Float(size) / Float(out)) - 0.5, 0)
            let i0 = min(Int(s), size - 1)
            return (i0, i0 < size - 1 ? i0 + 1 : i0, s - Float(i0))
        }
        let columns = (0..<width).map { source($0, w, width) }
        var result = [Float](repeating: 0, count: height * width)
        for y in 0..<height {
            let (y0, y1, ly) = source(y, h, height)
            for (x, (x0, x1, lx)) in columns.enumerated() {
                let top = (1 - lx) * plane[y0 * w + x0] + lx * plane[y0 * w + x1]
                let bottom = (1 - lx) * plane[y1 * w + x0] + lx * plane[y1 * w + x1]
                result[y * width + x] = (1 - ly) * top + ly * bottom
            }
        }
        return result
    }

    /// Integrated Gradients and log p_c of the blank image (the path's first point).
    static func integratedGradients(_ network: Network, images x: [Float], input: [Float], classes c: [Int],
                                    threads: Int) -> (values: [Float], blank: [Float]) {
        let n = integratedGradientsSteps, pixels = network.inputCount, g = c.count
        let path = parallelBlocks(g, size: n * pixels, threads: threads) { i, path in
            for step in 0..<n {
                let alpha = Float(step) / Float(n - 1), row = path + step * pixels
                for p in 0..<pixels { row[p] = alpha * x[i * pixels + p] }
            }
        }
        let pass = network.forward(images: path, keeping: network.rectifiedLayers, switches: true, threads: threads)
        let weights = (0..<n).map { step in (step == 0 || step == n - 1 ? 0.5 : 1) / Float(n) }
        let sums = weightedGradientSums(network, pass: pass, classes: c, weights: weights, threads: threads)
        let baseline = network.inputUnits([0])[0]
        var values = [Float](repeating: 0, count: g * pixels)
        for p in values.indices { values[p] = (input[p] - baseline) * sums[p] }
        let k = network.classes
        return (values, (0..<g).map { pass.logProbabilities[(($0 * n) * k) + c[$0]] })
    }

    /// Σₖ wₖ ∂ log p_c / ∂x over the `weights.count` images of each of `classes.count` groups in
    /// `pass` (image i's k-th at i · n + k). Each gradient goes down to the lowest layer whose step
    /// reads the pass (a ReLU or a max-pooling: LeNet-5's first ReLU), where the group's signals
    /// are summed, weighted, k ascending; the layers below (convolutions and the like, linear and
    /// the same for every image) take the sum down once. Exact in real numbers; in Float the sum
    /// is rounded at that layer rather than at the input.
    static func weightedGradientSums(_ network: Network, pass: NetworkPass, classes c: [Int], weights: [Float], threads: Int) -> [Float] {
        let n = weights.count, g = c.count, top = network.layers.count - 1
        let repeated = c.flatMap { Array(repeating: $0, count: n) }
        // Below the log-softmax; with none (a network linear up to its logits) the seeds are summed.
        let bottom = network.layers[..<top].firstIndex { $0.readsTheForwardPass } ?? top
        let size = network.inputShape(of: bottom).reduce(1, *)
        let seeds = logitSeeds(pass.logProbabilities, classes: repeated, count: network.classes)
        let signals = bottom == top ? seeds : network.backward(seeds, from: top - 1, to: bottom, through: pass, sources: Array(0..<(g * n)),
                                                               rule: .gradient, convolutions: .columns, threads: threads)
        let sums = parallelBlocks(g, size: size, threads: threads) { i, sum in
            sum.update(repeating: 0, count: size)
            for step in 0..<n {
                let w = weights[step], row = (i * n + step) * size
                for p in 0..<size { sum[p] += w * signals[row + p] }
            }
        }
        guard bottom > 0 else { return sums }
        return network.backward(sums, from: bottom - 1, to: 0, through: pass, sources: Array(0..<g), rule: .gradient,
                                convolutions: .columns, threads: threads)
    }

    /// The mean gradient over the noisy copies.
    static func smoothGrad(_ network: Network, images x: [Float], indices: [Int], classes c: [Int], seed: UInt64, threads: Int) -> [Float] {
        let n = smoothGradSamples, pixels = network.inputCount, g = c.count
        let noisy = parallelBlocks(g, size: n * pixels, threads: threads) { i, noisy in
            let noise = AttributionStreams.smoothGradNoise(seed: seed, index: indices[i], samples: n, pixels: pixels)
            for copy in 0..<n {
                for p in 0..<pixels { noisy[copy * pixels + p] = x[i * pixels + p] + smoothGradSigma * noise[copy * pixels + p] }
            }
        }
        let pass = network.forward(images: noisy, keeping: network.rectifiedLayers, switches: true, threads: threads)
        return weightedGradientSums(network, pass: pass, classes: c, weights: [Float](repeating: 1, count: n), threads: threads)
            .map { $0 / Float(n) }
    }

    /// The mean drop in log p_c over the squares covering each pixel. A square over blank paper
    /// only (every pixel it covers already 0) leaves the image as it is, so its drop is exactly 0
    /// and it takes no pass; each image's batch is the image itself, then the images occluded by
    /// the other squares, by their top-left corner row by row.
    static func occlusion(_ network: Network, images x: [Float], classes c: [Int], threads: Int) -> [Float] {
        let (height, width, pixels, patch) = (network.imageHeight, network.imageWidth, network.inputCount, occlusionPatch)
        let corners = (0...(height - patch)).flatMap { y in (0...(width - patch)).map { (y, $0) } }
        let g = c.count, k = network.classes
        // Per image, the squares that change it.
        let changing = parallelMap(g, threads: threads) { i in
            corners.indices.filter { j in
                let (top, left) = corners[j]
                return (top..<(top + patch)).contains { y in (left..<(left + patch)).contains { x[i * pixels + y * width + $0] != 0 } }
            }
        }
        let starts = changing.reduce(into: [0]) { $0.append($0.last! + 1 + $1.count) }
        var batch = [Float](repeating: 0, count: starts.last! * pixels)
        batch.withUnsafeMutableBufferPointer { batch in
            let shared = UncheckedBuffer(batch)
            parallelFor(g, threads: threads) { i in
                let batch = shared.buffer
                for (j, corner) in ([nil] + changing[i].map { Optional(corners[$0]) }).enumerated() {
                    let row = (starts[i] + j) * pixels
                    for p in 0..<pixels { batch[row + p] = x[i * pixels + p] }
                    guard let (top, left) = corner else { continue }
                    for y in top..<(top + patch) { for x in left..<(left + patch) { batch[row + y * width + x] = 0 } }
                }
            }
        }
        let logProbabilities = network.forward(images: batch, threads: threads).logProbabilities
        return parallelBlocks(g, size: pixels, threads: threads) { i, values in
            let original = logProbabilities[starts[i] * k + c[i]]
            var drops = [Float](repeating: 0, count: corners.count)
            for (j, corner) in changing[i].enumerated() { drops[corner] = original - logProbabilities[(starts[i] + 1 + j) * k + c[i]] }
            var sum = [Float](repeating: 0, count: pixels), covered = [Float](repeating: 0, count: pixels)
            for (j, (top, left)) in corners.enumerated() {
                for y in top..<(top + patch) {
                    for x in left..<(left + patch) { sum[y * width + x] += drops[j]; covered[y * width + x] += 1 }
                }
            }
            for p in 0..<pixels { values[p] = sum[p] / covered[p] }
        }
    }
}

extension Layer {
    /// Whether `Network.backward` reads the forward pass at this layer (a ReLU's mask, a
    /// max-pooling's switches, the log-softmax's probabilities); the others are the same linear
    /// map for every image.
    var readsTheForwardPass: Bool {
        switch self {
        case .relu, .maxPool, .logSoftmax: true
        case .convolution, .averagePool, .flatten, .linear: false
        }
    }
}

/// `count` blocks of `size` floats, block i written in full by `fill(i, its first element)` on
/// `threads` threads, each block its own memory (`parallelFor`'s contract).
func parallelBlocks(_ count: Int, size: Int, threads: Int, _ fill: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count * size) { buffer, initialized in
        let shared = UncheckedBuffer(buffer)
        if count * size > 0 { parallelFor(count, threads: threads) { i in fill(i, shared.buffer.baseAddress! + i * size) } }
        initialized = count * size
    }
}

/// A buffer that several threads write, each its own part (`parallelFor`'s contract).
struct UncheckedBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

extension Network {
    /// The ReLUs, whose outputs (their masks) `backward` reads; a pass that keeps them, the
    /// max-pool switches and the log-probabilities is all a backward pass from the logits needs.
    var rectifiedLayers: Set<Int> { Set(layers.indices.filter { if case .relu = layers[$0] { true } else { false } }) }

    /// Where Grad-CAM looks: the last convolutional layer's rectified output before pooling (the
    /// last ReLU of its block before any pooling; the convolution itself when none comes first).
    public var gradCAMLayer: Int {
        let block = convolutionalLayers.last!
        var chosen = block.layer
        for i in (block.layer + 1)..<(block.outputLayer + 1) {
            switch layers[i] {
            case .relu: chosen = i
            case .maxPool, .averagePool: return chosen
            default: continue
            }
        }
        return chosen
    }

    /// Pixels (byte / 255) in the network's input units: normalised as the network's forward
    /// pass does it, (x − mean) / std in Float, when it normalises.
    public func inputUnits(_ pixels: [Float]) -> [Float] {
        guard let n = normalization else { return pixels }
        return pixels.map { ($0 - n.mean) / n.std }
    }
}
