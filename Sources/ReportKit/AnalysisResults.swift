import Analyses
import Deconvnet
import LeNet
import MNIST

/// The dataset-wide experiments of the later chapters, computed for the report's model.
struct AnalysisResults {
    let top: TopActivations
    /// nil for weights loaded from elsewhere: there are no checkpoints.
    let evolution: FeatureEvolution?
    let invariance: Invariance
    let occlusion: Occlusion
    let sanity: SanityChecks

    /// The report digits' images throughout; the test set for the rankings; checkpoints, when the
    /// model was trained here, for the evolution.
    init(model: LeNet5, digits: [DigitReconstruction], data: MNIST, checkpoints: [(step: Int, model: LeNet5)], mode: ReconstructionMode,
         threads: Int) {
        let testImages = data.test.images(0..<data.test.count)
        let images = digits.map { DigitImage(digit: $0.digit, testIndex: $0.testIndex, image: $0.input) }
        top = TopActivations(model: model, testImages: testImages, threads: threads)
        evolution = checkpoints.isEmpty ? nil : FeatureEvolution(checkpoints: checkpoints, testImages: testImages, reusing: top, threads: threads)
        invariance = Invariance(model: model, digits: images, threads: threads)
        occlusion = Occlusion(model: model, digits: images, fill: Occlusion.meanPixel(data.train.pixels), threads: threads)
        sanity = SanityChecks(model: model, digits: digits.map(\.digit), images: digits.map(\.input), mode: mode, threads: threads)
    }

    /// The exported files by name, each with the model's hash in its metadata.
    func files(modelSHA256: String) -> [(name: String, file: Safetensors)] {
        let metadata = ["model_sha256": modelSHA256]
        return [("top9.safetensors", top.safetensors(metadata: metadata))]
            + (evolution.map { [("evolution.safetensors", $0.safetensors(metadata: metadata))] } ?? [])
            + [("invariance.safetensors", invariance.safetensors(metadata: metadata)),
               ("occlusion.safetensors", occlusion.safetensors(metadata: metadata)),
               ("rules.safetensors", sanity.rules.file(metadata: metadata)),
               ("sanity.safetensors", sanity.file(metadata: metadata))]
    }
}
