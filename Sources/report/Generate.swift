import ArgumentParser
import Deconvnet
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
    var output = "Report"

    @Flag(help: "Train even when the output folder holds a model trained with the same settings.")
    var retrain = false

    @Option(help: "Render the report for this model file (safetensors with PyTorch's names) instead of training.")
    var weights: String?

    @Option(parsing: .upToNextOption, help: "Digits whose first correctly classified test image is reconstructed.")
    var digits: [Int] = [0, 1, 5, 8]

    @Option(help: "whole-map (project every activation of a map) or strongest (only its largest).")
    var mode = ReconstructionMode.wholeMap

    @Option(help: "The folder of the writeup's Markdown templates.")
    var templates = "Templates"

    func validate() throws {
        if let bad = digits.first(where: { !(0...9).contains($0) }) { throw ValidationError("--digits takes digits 0–9, not \(bad)") }
        guard !digits.isEmpty, Set(digits).count == digits.count else { throw ValidationError("--digits needs distinct digits") }
        if weights != nil && retrain { throw ValidationError("--weights and --retrain exclude each other") }
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
        options.digits = digits
        options.mode = mode
        options.templates = templates
        options.commandLine = (["report"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        orFail { try ReportPipeline(options: options).run() }
    }
}
