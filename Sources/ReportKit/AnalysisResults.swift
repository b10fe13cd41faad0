import Analyses
import Deconvnet
import Network
import MNIST

/// The dataset-wide experiments of the later chapters, computed for the report's model.
struct AnalysisResults {
    let top: TopActivations
    /// What the rankings say of selectivity, against random test images' labels: computed once,
    /// as two chapters read it.
    let topFindings: TopActivations.Findings
    /// Where on the digit each map's best images peak.
    let parts: PeakParts
    /// nil for weights loaded from elsewhere: there are no checkpoints.
    let evolution: FeatureEvolution?
    let invariance: Invariance
    let occlusion: Occlusion
    let sanity: SanityChecks
    let explanations: Explanations

    /// The analyses' files read back from `folder`, by name.
    private(set) var readBack: [(name: String, file: Safetensors)] = []

    /// The report digits' images throughout; the test set for the rankings and the invariance's
    /// baseline; checkpoints, when the model was trained here, for the evolution. The costly
    /// analyses (the rankings of the test set and the sanity checks' projections) are read back
    /// from their files in `folder` when those record the same model, seen through the same input
    /// normalisation (`exportMetadata`), and the libraries find them consistent with it. The
    /// explanations' faithfulness is measured over the first `faithfulnessImages` test images (nil:
    /// the network's default), with `seed` (`--seed`) for SmoothGrad's noise and the random orders.
    init(network: Network, exportMetadata: [String: String], digits: [DigitReconstruction], data: MNIST,
         checkpoints: [(step: Int, model: Network)],
         mode: ReconstructionMode, seed: UInt64, faithfulnessImages: Int?, folder: String, threads: Int) {
        func file(_ name: String) -> Safetensors? {
            guard let file = try? Safetensors.read(from: folder.appending(path: name)),
                  ["model_sha256", InputNormalization.meanKey, InputNormalization.stdKey]
                      .allSatisfy({ file.metadata[$0] == exportMetadata[$0] })
            else { return nil }
            return file
        }
        let testImages = data.test.images(0..<data.test.count)
        let images = digits.map { DigitImage(digit: $0.digit, testIndex: $0.testIndex, image: $0.input) }
        if let file = file(Self.names.top), let top = TopActivations(file: file, network: network, testImages: testImages, threads: threads) {
            self.top = top
            readBack.append((Self.names.top, file))
        } else {
            top = TopActivations(network: network, testImages: testImages, threads: threads)
        }
        topFindings = top.findings(labels: data.test.labels)
        parts = PeakParts(network: network, testImages: testImages, rankings: top.rankings.flatMap { $0 }, threads: threads)
        if checkpoints.isEmpty {
            evolution = nil
        } else if let file = file(Self.names.evolution),
                  let evolution = FeatureEvolution(file: file, checkpoints: checkpoints, testImages: testImages, threads: threads) {
            self.evolution = evolution
            readBack.append((Self.names.evolution, file))
        } else {
            evolution = FeatureEvolution(checkpoints: checkpoints, testImages: testImages, reusing: top, threads: threads)
        }
        invariance = Invariance(network: network, digits: images, testImages: testImages, threads: threads)
        occlusion = Occlusion(network: network, digits: images, fill: Occlusion.meanPixel(data.train.pixels), threads: threads)
        let (digitList, inputs) = (digits.map(\.digit), digits.map(\.input))
        if let rules = file(Self.names.rules), let sanity = file(Self.names.sanity),
           let checks = SanityChecks(rules: rules, sanity: sanity, network: network, digits: digitList, images: inputs, mode: mode,
                                     threads: threads) {
            self.sanity = checks
            readBack += [(Self.names.rules, rules), (Self.names.sanity, sanity)]
        } else {
            sanity = SanityChecks(network: network, digits: digitList, images: inputs, mode: mode, threads: threads)
        }
        let defaults = Explanations.defaultImages(for: network)
        let firstImages = data.test.images(0..<min(faithfulnessImages ?? defaults.images, data.test.count))
        if let attributions = file(Self.names.attributions), let faithfulness = file(Self.names.faithfulness),
           let explanations = Explanations(attributions: attributions, faithfulness: faithfulness, network: network, digits: images,
                                           testImages: firstImages, seed: seed, randomisationImages: defaults.randomisation,
                                           threads: threads) {
            self.explanations = explanations
            readBack += [(Self.names.attributions, attributions), (Self.names.faithfulness, faithfulness)]
        } else {
            explanations = Explanations(network: network, digits: images, testImages: firstImages, seed: seed,
                                        randomisationImages: defaults.randomisation, threads: threads)
        }
    }

    static let names = (top: "top9.safetensors", evolution: "evolution.safetensors", invariance: "invariance.safetensors",
                        occlusion: "occlusion.safetensors", rules: "rules.safetensors", sanity: "sanity.safetensors",
                        attributions: "attributions.safetensors", faithfulness: "faithfulness.safetensors")

    /// `files`, less those that hold just what was read back from them: the staging folder has
    /// them already, and encoding a header of many tensors is slow.
    func changedFiles(metadata: [String: String]) -> [(name: String, file: Safetensors)] {
        let unchanged = Dictionary(uniqueKeysWithValues: readBack.map { ($0.name, $0.file) })
        return files(metadata: metadata).filter { unchanged[$0.name].map($0.file.hasSameContents) != true }
    }

    /// The exported files by name, each with `metadata` (the model's hash, its normalisation).
    func files(metadata: [String: String]) -> [(name: String, file: Safetensors)] {
        var top = top.safetensors(metadata: metadata)
        parts.add(to: &top, network: sanity.network)
        return [(Self.names.top, top)]
            + (evolution.map { [(Self.names.evolution, $0.safetensors(metadata: metadata))] } ?? [])
            + [(Self.names.invariance, invariance.safetensors(metadata: metadata)),
               (Self.names.occlusion, occlusion.safetensors(metadata: metadata)),
               (Self.names.rules, sanity.rules.file(metadata: metadata)),
               (Self.names.sanity, sanity.file(metadata: metadata)),
               (Self.names.attributions, explanations.attributionsFile(network: sanity.network, metadata: metadata)),
               (Self.names.faithfulness, explanations.faithfulnessFile(network: sanity.network, metadata: metadata))]
    }
}
