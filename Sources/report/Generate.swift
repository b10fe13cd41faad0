import ArgumentParser
import Deconvnet
import Network
import ReportKit

extension ReconstructionMode: ExpressibleByArgument {}

/// `report`: the whole pipeline, from the MNIST files to `Report/report.pdf`.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Train LeNet-5 on MNIST (or reuse the model), look inside it with a deconvnet and write the report (the default command)."
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "The folder to write into.")
    var output = ReportOptions().output

    @Flag(help: "Train even when the output folder holds a model trained with the same settings.")
    var retrain = false

    @Option(help: "Render the report for this model file (safetensors with PyTorch's names) instead of training.")
    var weights: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Normalise the input pixels (byte / 255) as (x − MEAN) / STD, to train with or as the --weights model was trained "
            + "(PyTorch's MNIST examples: 0.1307 0.3081; 0 1 for none); overrides a weights file's input_mean and input_std.",
        valueName: "mean std"))
    var normalize: [Float] = []

    @Option(parsing: .upToNextOption, help: "Digits whose first correctly classified test image is reconstructed.")
    var digits: [Int] = ReportOptions().digits

    @Option(help: "whole-map (project every activation of a map) or strongest (only its largest).")
    var mode = ReportOptions().mode

    @Option(help: "The folder of the writeup's Markdown templates.")
    var templates = ReportOptions().templates

    @Option(help: ArgumentHelp("Measure the faithfulness of the explanations over the first N test images "
        + "(default: \(ReportOptions.defaultFaithfulnessImages), or as many as cost LeNet-5's arithmetic for a costlier network).",
        valueName: "n"))
    var faithfulnessImages: Int?

    func validate() throws {
        if let bad = digits.first(where: { !(0...9).contains($0) }) { throw ValidationError("--digits takes digits 0–9, not \(bad)") }
        guard !digits.isEmpty, Set(digits).count == digits.count else { throw ValidationError("--digits needs distinct digits") }
        if let faithfulnessImages, !(ReportOptions.fewestFaithfulnessImages...10_000).contains(faithfulnessImages) {
            throw ValidationError(
                "--faithfulness-images takes \(ReportOptions.fewestFaithfulnessImages) to 10,000 test images, not \(faithfulnessImages)")
        }
        if weights != nil && retrain { throw ValidationError("--weights and --retrain exclude each other") }
        if !normalize.isEmpty {
            guard normalize.count == 2 else { throw ValidationError("--normalize takes two numbers, MEAN and STD, not \(normalize.count)") }
            guard normalization != nil else {
                throw ValidationError("--normalize \(normalize[0]) \(normalize[1]): MEAN and STD must be finite and STD positive")
            }
        }
    }

    /// `--normalize`'s two numbers; nil when not given (or invalid, which `validate` refuses).
    var normalization: InputNormalization? {
        normalize.count == 2 ? InputNormalization(mean: normalize[0], std: normalize[1]) : nil
    }

    func run() {
        var options = ReportOptions()
        options.training = training.options
        options.data = training.data
        options.threads = training.threads
        options.trainLimit = training.trainLimit
        options.output = output
        options.retrain = retrain
        options.weights = weights
        options.normalization = normalization
        options.digits = digits
        options.mode = mode
        options.templates = templates
        options.faithfulnessImages = faithfulnessImages
        options.commandLine = (["report"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        orFail { try ReportPipeline(options: options).run() }
    }
}
