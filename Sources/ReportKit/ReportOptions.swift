import Analyses
import Deconvnet
import Network

/// What the command line asks of a report run.
public struct ReportOptions: Sendable {
    public var training = TrainingOptions()
    /// The folder with the four MNIST files.
    public var data = "Data"
    /// Threads to train and draw on (1 or 2); the weights do not depend on it.
    public var threads = 2
    /// Train on only the first N training images.
    public var trainLimit: Int?
    /// The folder to write into.
    public var output = "Report"
    /// Train even when the output folder holds a model trained with the same settings.
    public var retrain = false
    /// A model file to render instead of training.
    public var weights: String?
    /// `--normalize MEAN STD`: the input convention to train with, or to apply to `weights`
    /// instead of what its metadata records; mean 0 and std 1 mean none. nil: not given.
    public var normalization: InputNormalization?
    /// Digits whose first correctly classified test image is reconstructed.
    public var digits = [0, 1, 5, 8]
    public var mode = ReconstructionMode.wholeMap
    /// The first N test images over which the explanations' faithfulness is measured (the first
    /// 100 of them, at most, for their randomisation; both fewer for a costlier network). nil: the
    /// network's default, `Explanations.defaultImages(for:)`.
    public var faithfulnessImages: Int?
    public static let fewestFaithfulnessImages = Explanations.minimumImages, defaultFaithfulnessImages = Explanations.defaultImages
    /// The folder of the writeup's Markdown templates.
    public var templates = "Templates"
    /// How the run was invoked, for the reproducibility section.
    public var commandLine = "report"

    public init() {}
}
