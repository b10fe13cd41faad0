import ArgumentParser
import Charts
import Deconvnet
@preconcurrency import Foundation
import LeNet
import MNIST
import Writeup

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

    func run() throws {
        setvbuf(stdout, nil, _IOLBF, 0)  // keep stdout in step with the progress on stderr
        requireEngineInstructions()
        let start = Date()
        var stages = Stages(["reading MNIST", "training", "evaluating on the test set", "reconstructing activations",
                             "drawing figures", "filling the templates", "typesetting the PDF", "writing \(output)/"])

        let data = stages.run("reading MNIST") { try MNIST.load(from: training.data) }
        let train = training.trainLimit.map { data.train.prefix($0) } ?? data.train
        print("    \(train.count) training and \(data.test.count) test images")

        let obtained = stages.run("training") { try obtainModel(train: train, test: data.test, checksums: data.checksums) }
        let model = obtained.model
        let evaluation = stages.run("evaluating on the test set") {
            obtained.evaluation ?? model.evaluate(data.test, threads: training.threads)
        }
        print(String(format: "    test accuracy %.2f %% (%d of %d)", 100 * evaluation.accuracy, evaluation.correct, evaluation.total))

        let (reconstructions, unpooling) = stages.run("reconstructing activations") { () throws -> ([DigitReconstruction], UnpoolingExample) in
            let indices = try DigitChoice.firstCorrect(digits: digits, labels: data.test.labels, predictions: evaluation.predictions)
            let deconvnet = Deconvnet(model: model)
            let results = zip(digits, indices).map { digit, index in
                DigitReconstruction(digit: digit, testIndex: index, image: data.test.images([index]), deconvnet: deconvnet, mode: mode)
            }
            print("    " + results.map { "digit \($0.digit): test image \($0.testIndex)" }.joined(separator: ", ") + " (mode \(mode.rawValue))")
            return (results, UnpoolingExample(digit: results[0].digit, image: results[0].input, model: model))
        }
        let modelSHA256 = orFail("cannot read \(obtained.path)") { SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: obtained.path))) }

        let (figures, files) = stages.run("drawing figures") { () throws -> ([(name: String, figure: any Figure)], FigureFiles) in
            let figures = ReportFigures.build(data: data, obtained: obtained, evaluation: evaluation, digits: reconstructions, unpooling: unpooling)
            return (figures, try FigureFiles.render(figures, threads: training.threads))
        }

        let timingsSoFar = stages.timings
        let markdown = stages.run("filling the templates") { () throws -> String in
            let record = RunRecord(
                data: data, train: train, dataFolder: training.data, obtained: obtained, evaluation: evaluation,
                digits: reconstructions, mode: mode, unpooling: unpooling, modelSHA256: modelSHA256,
                figureNames: figures.map(\.name), timings: timingsSoFar,
                commandLine: (["report"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                commit: Provenance.commit, machine: Provenance.machine,
                versions: [("Swift", Provenance.swiftVersion), ("OpenBLAS", BLAS.version)]
                    + MNIST.libraryVersions + Canvas.libraryVersions + Typesetter.libraryVersions)
            return CrossReferences.resolve(try Templates(directory: templates).render(record.context))
        }

        let pdf = stages.run("typesetting the PDF") { () throws -> Data in
            let byLink = Dictionary(uniqueKeysWithValues: figures.map { ("figures/\($0.name).svg", $0.figure) })
            return try Typesetter(author: "report (CNN-activation-visualization)", figures: byLink).pdf(markdown: markdown)
        }

        let html = HTMLPage.render(markdown: markdown, title: "LeNet-5 on MNIST, seen through a deconvnet", svgs: files.svgsByLink)

        stages.run("writing \(output)/") {
            try createDirectory(output)
            let deconvnetFile = DigitReconstruction.file(reconstructions, mode: mode, metadata: ["model_sha256": modelSHA256])
            try deconvnetFile.write(to: output.appending(path: "deconvnet.safetensors"))
            try files.write(to: output.appending(path: "figures"))
            try writeAtomically(Data(markdown.utf8), to: output.appending(path: "report.md"))
            try writeAtomically(pdf, to: output.appending(path: "report.pdf"))
            try writeAtomically(Data(html.utf8), to: output.appending(path: "report.html"))
        }
        print(String(format: "wrote %@/report.pdf, report.md, report.html and %d figures in %.1f s (peak memory %.0f MB)",
                     output, files.count, Date().timeIntervalSince(start), peakMemoryMB()))
    }

    /// Loads `--weights`, reuses the output folder's model when it was trained with these
    /// settings, or trains a new one and writes it with its history.
    func obtainModel(train: Dataset, test: Dataset, checksums: [String: String]) throws -> ObtainedModel {
        if let weights {
            let model = try LeNet5(checkpoint: Safetensors.read(from: weights), path: weights)
            print("    using the weights in \(weights); training options are ignored")
            return ObtainedModel(model: model, source: .loaded, path: weights, options: nil, history: nil, trainImages: 0)
        }
        try createDirectory(output)
        let request = TrainingRequest(options: training.options, trainImages: train.count, checksums: checksums)
        let path = output.appending(path: TrainingRun.files.model)
        if !retrain, let file = try? Safetensors.read(from: path), request.matches(file.metadata),
           let model = try? LeNet5(checkpoint: file, path: path), let history = TrainingRun.readHistory(from: output, for: request) {
            print("    reusing \(path), trained with these settings (--retrain to train again)")
            return ObtainedModel(model: model, source: .reused, path: path, options: request.options, history: history, trainImages: train.count)
        }

        let options = request.options
        print("    LeNet-5 (\(LeNet5.parameterCount) parameters), \(options.epochs) epochs of \(options.optimizer.rawValue), "
            + "learning rate \(options.learningRate) (\(options.schedule.rawValue)), batch \(options.batchSize), seed \(options.seed)")
        let trainer = Trainer(model: LeNet5(seed: options.seed), options: options, threads: training.threads)
        let progress = ProgressLine()
        let history = try trainer.train(on: train, test: test, progress: progress.update, epochEnded: progress.finish)
        let run = TrainingRun(request: request, history: history, evaluation: trainer.evaluate(test))
        try run.write(model: trainer.model, to: output)
        print("    trained in \(Formatted.seconds(run.seconds)); wrote \(TrainingRun.files.model), \(TrainingRun.files.metrics), "
            + "\(TrainingRun.files.epochs), \(TrainingRun.files.steps)")
        return ObtainedModel(model: trainer.model, source: .trained, path: path, options: options, history: history,
                             trainImages: train.count, evaluation: run.evaluation)
    }
}
