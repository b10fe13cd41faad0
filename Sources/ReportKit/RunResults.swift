import Deconvnet
import Network
import MNIST

/// Everything a run computed that the chapters show.
struct RunResults {
    let data: MNIST
    /// The training images used (all of `data.train`, or its first `--train-limit`).
    let train: Dataset
    let dataFolder: String
    let obtained: ObtainedModel
    let evaluation: Evaluation
    let digits: [DigitReconstruction]
    let mode: ReconstructionMode
    /// nil when the network has no max-pooling whose windows tile its input.
    let unpooling: UnpoolingExample?
    let analyses: AnalysisResults
    let provenance: Provenance

    var network: Network { obtained.network }
    /// The SHA-256 of the model file's bytes.
    var modelSHA256: String { obtained.sha256 }
}
