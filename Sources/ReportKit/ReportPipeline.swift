@preconcurrency import Foundation
import Deconvnet
import Graphics
import LeNet
import MNIST
import Writeup

/// The whole run, from the MNIST files to `Report/report.pdf`, as named stages. Everything is
/// rendered in memory and written at the end, each file through a temporary name, so a failing
/// stage leaves the previous report intact.
public struct ReportPipeline {
    public static let title = "LeNet-5 on MNIST, seen through a deconvnet"
    public let options: ReportOptions

    public init(options: ReportOptions) {
        self.options = options
    }

    public func run() throws(ReportError) {
        setvbuf(stdout, nil, _IOLBF, 0)  // keep stdout in step with the progress on stderr
        try requireEngineInstructions()
        let start = Date()
        let output = options.output
        var stages = Stages(["reading MNIST", "training", "evaluating on the test set", "reconstructing activations",
                             "drawing figures", "filling the templates", "typesetting the PDF", "writing \(output)/"])

        let results = try compute(&stages)
        let (chapters, figures) = try stages.run("drawing figures") { () throws -> (ReportChapters, FigureFiles) in
            let chapters = ReportChapters(results)
            return (chapters, try FigureFiles.render(chapters.figures, threads: options.threads))
        }

        let timingsSoFar = stages.timings
        let markdown = try stages.run("filling the templates") { () throws -> String in
            let context = chapters.context(timings: timingsSoFar)
            return CrossReferences.resolve(try Templates(directory: options.templates).render(context))
        }

        let pdf = try stages.run("typesetting the PDF") { () throws -> Data in
            let byLink = Dictionary(uniqueKeysWithValues: chapters.figures.map { ("figures/\($0.name).svg", $0.figure) })
            return try Typesetter(author: "report (CNN-activation-visualization)", figures: byLink).pdf(markdown: markdown)
        }
        let html = HTMLPage.render(markdown: markdown, title: Self.title, svgs: figures.svgsByLink)

        try stages.run("writing \(output)/") {
            try createDirectory(output)
            let deconvnetFile = DigitReconstruction.file(results.digits, mode: results.mode, metadata: ["model_sha256": results.modelSHA256])
            try deconvnetFile.write(to: output.appending(path: "deconvnet.safetensors"))
            try figures.write(to: output.appending(path: "figures"))
            try writeAtomically(Data(markdown.utf8), to: output.appending(path: "report.md"))
            try writeAtomically(pdf, to: output.appending(path: "report.pdf"))
            try writeAtomically(Data(html.utf8), to: output.appending(path: "report.html"))
        }
        print(String(format: "wrote %@/report.pdf, report.md, report.html and %d figures in %.1f s (peak memory %.0f MB)",
                     output, figures.count, Date().timeIntervalSince(start), peakMemoryMB()))
    }

    /// The first four stages: the data, the model, its evaluation and what the chapters show.
    func compute(_ stages: inout Stages) throws(ReportError) -> RunResults {
        let data = try stages.run("reading MNIST") { try MNIST.load(from: options.data) }
        let train = options.trainLimit.map { data.train.prefix($0) } ?? data.train
        print("    \(train.count) training and \(data.test.count) test images")

        let obtained = try stages.run("training") { try ObtainedModel.obtain(options, train: train, test: data.test, checksums: data.checksums) }
        let evaluation = try stages.run("evaluating on the test set") {
            obtained.evaluation ?? obtained.model.evaluate(data.test, threads: options.threads)
        }
        print(String(format: "    test accuracy %.2f %% (%d of %d)", 100 * evaluation.accuracy, evaluation.correct, evaluation.total))

        let results = try stages.run("reconstructing activations") { () throws -> RunResults in
            let model = obtained.model, mode = options.mode
            let indices = try DigitChoice.firstCorrect(digits: options.digits, labels: data.test.labels, predictions: evaluation.predictions)
            let deconvnet = Deconvnet(model: model)
            let digits = zip(options.digits, indices).map { digit, index in
                DigitReconstruction(digit: digit, testIndex: index, image: data.test.images([index]), deconvnet: deconvnet, mode: mode)
            }
            print("    " + digits.map { "digit \($0.digit): test image \($0.testIndex)" }.joined(separator: ", ") + " (mode \(mode.rawValue))")
            let modelSHA256 = try SHA256.hex(Data(contentsOf: URL(fileURLWithPath: obtained.path)))
            return RunResults(data: data, train: train, dataFolder: options.data, obtained: obtained, evaluation: evaluation,
                              digits: digits, mode: mode, unpooling: UnpoolingExample(digit: digits[0].digit, image: digits[0].input, model: model),
                              modelSHA256: modelSHA256, provenance: .current(commandLine: options.commandLine))
        }

        return results
    }
}
