@preconcurrency import Foundation
import FileIO
import Analyses
import Deconvnet
import Explorer
import Graphics
import Network
import MNIST
import Writeup

/// The whole run, from the MNIST files to `Report/report.pdf`, as named stages. Everything, the
/// model included, is written into a staging folder that becomes the output folder in one step at
/// the end (`OutputTransaction`), so a run that stops for any reason leaves the previous report
/// as it was.
public struct ReportPipeline {
    /// "LeNet-5 on MNIST, seen through a deconvnet"; another network is "a convolutional network".
    static func title(_ network: Network) -> String {
        (network.isLeNet5 ? "LeNet-5" : "A convolutional network") + " on MNIST, seen through a deconvnet"
    }
    public let options: ReportOptions

    public init(options: ReportOptions) {
        self.options = options
    }

    public func run() throws(ReportError) {
        setvbuf(stdout, nil, _IOLBF, 0)  // keep stdout in step with the progress on stderr
        if let missing = missingEngineInstructions() { throw ReportError(missing) }
        try OutputFolder.check(options.output)
        if let weights = options.weights, !FileManager.default.isReadableFile(atPath: weights) {
            throw ReportError("--weights \(weights): no readable file there")
        }
        Interrupt.install()
        let start = Date()
        let output = options.output
        var stages = Stages(output: output)

        let transaction = try OutputTransaction.begin(output)
        do throws(ReportError) {
            let figureCount = try build(&stages, into: transaction.folder)
            let seconds = Date().timeIntervalSince(start)
            let log = RunLog.text(commandLine: options.commandLine, timings: stages.timings, total: seconds)
            try? FileSystem.write(Data(log.utf8), to: transaction.folder.appending(path: RunLog.name))
            try transaction.commit()
            Interrupt.waitIfInterrupted()
            print(String(format: "wrote %@/report.pdf, report.md, report.html and %d figures in %.1f s (peak memory %.0f MB); "
                                 + "timings in %@",
                         output, figureCount, seconds, peakMemoryMB(), RunLog.name))
        } catch {
            Interrupt.waitIfInterrupted()
            transaction.abandon()
            throw error
        }
    }

    /// Every stage, writing into `folder` (the staging folder); returns the number of figures.
    func build(_ stages: inout Stages, into folder: String) throws(ReportError) -> Int {
        let results = try compute(&stages, folder: folder)
        let chapters = try stages.run(.chapters) { ReportChapters(results, threads: options.threads) }
        // The writeup's sections side by side.
        let markdown = try stages.run(.templates) { () throws -> String in
            let templates = try Templates(directory: options.templates, sections: ReportChapters.names)
            let sections = try parallelMap(templates.sections.count, threads: options.threads) { i throws -> String in
                try templates.render(section: i, chapters.context)
            }
            return CrossReferences.resolve(Templates.joined(sections))
        }
        // The PDF draws the figures itself, so it need not wait for their files: it starts first,
        // while the other thread makes the explorer's page, draws the SVGs and typesets the HTML
        // page, which inlines them.
        let (figures, pdf, explorer, html) = try stages.run(.typesetting) { () throws -> (FigureFiles, Data, Data, Data) in
            let byLink = Dictionary(uniqueKeysWithValues: chapters.figures.map { ("figures/\($0.name).svg", $0.figure) })
            let (figures, first, html) = try FigureFiles.render(
                chapters.figures, folder: folder.appending(path: "figures"), threads: options.threads,
                first: [{ try Typesetter(author: "report (CNN-activation-visualization)", figures: byLink).pdf(markdown: markdown) },
                        { Data(try Self.explorerPage(results, templates: options.templates).utf8) }],
                fromSVGs: { Data(HTMLPage.render(markdown: markdown, title: Self.title(results.network), svgs: $0).utf8) })
            return (figures, first[0], first[1], html)
        }
        if figures.reused > 0 { print("    kept the PDF and PNG of \(figures.reused) of \(figures.count) figures whose SVG is unchanged") }
        try stages.run(.writing) {
            try FileSystem.createFolder(folder)
            try Self.write(results, figures: figures, markdown: markdown, pdf: pdf, html: html, explorer: explorer, to: folder)
            try TestHook.moment("written")
        }
        return figures.count
    }

    /// Every file of the report that changed, each through a temporary name.
    static func write(_ results: RunResults, figures: FigureFiles, markdown: String, pdf: Data, html: Data, explorer: Data,
                      to output: String) throws {
        let deconvnetFile = DigitReconstruction.file(results.digits, network: results.network, mode: results.mode,
                                                     metadata: results.obtained.exportMetadata)
        try FileSystem.writeIfChanged(deconvnetFile.encoded(), to: output.appending(path: "deconvnet.safetensors"))
        for (name, file) in results.analyses.changedFiles(metadata: results.obtained.exportMetadata) {
            try FileSystem.writeIfChanged(file.encoded(), to: output.appending(path: name))
        }
        if results.analyses.evolution == nil { try FileSystem.remove(output.appending(path: AnalysisResults.names.evolution)) }
        try figures.write(to: output.appending(path: "figures"))
        try FileSystem.writeIfChanged(Data(markdown.utf8), to: output.appending(path: "report.md"))
        try FileSystem.writeIfChanged(pdf, to: output.appending(path: "report.pdf"))
        try FileSystem.writeIfChanged(html, to: output.appending(path: "report.html"))
        try FileSystem.writeIfChanged(explorer, to: output.appending(path: "explorer.html"))
    }

    /// `explorer.html`: the model, its top images and the report's digits, and a thousand more test
    /// images, in a page that computes the projections in the browser.
    static func explorerPage(_ results: RunResults, templates: String) throws -> String {
        let test = results.data.test
        let topImages = results.network.convolutionalLayers.map { layer in results.analyses.top.maps(layer).map { $0.map(\.testIndex) } }
        let reportImages = results.digits.map(\.testIndex)
        let indices = ExplorerPage.testIndices(labels: test.labels, predictions: results.evaluation.predictions,
                                               topImages: topImages, reportImages: reportImages)
        return try ExplorerPage(network: results.network, images: ExplorerPage.testImages(indices, pixels: test.pixels, labels: test.labels),
                                topImages: topImages, reportImages: reportImages).html(templates: templates)
    }

    /// The first five stages: the data, the model, its evaluation and what the chapters show.
    func compute(_ stages: inout Stages, folder: String) throws(ReportError) -> RunResults {
        let data = try stages.run(.readingMNIST) { try MNIST.load(from: options.data) }
        if let limit = options.trainLimit, limit > data.train.count {
            throw ReportError("--train-limit \(limit) is more than the \(data.train.count) training images in \(options.data)")
        }
        let train = options.trainLimit.map { data.train.prefix($0) } ?? data.train
        if let images = options.faithfulnessImages, images < ReportOptions.fewestFaithfulnessImages {
            throw ReportError("--faithfulness-images takes at least \(ReportOptions.fewestFaithfulnessImages) test images, not \(images)")
        }
        if let images = options.faithfulnessImages, images > data.test.count {
            throw ReportError("--faithfulness-images \(images) is more than the \(data.test.count) test images in \(options.data)")
        }
        if options.weights == nil, options.training.batchSize > train.count {
            throw ReportError("--batch-size \(options.training.batchSize) is larger than the \(train.count) training images")
        }
        print("    \(train.count) training and \(data.test.count) test images")

        let obtained = try stages.run(.training) {
            try ObtainedModel.obtain(options, folder: folder, train: train, test: data.test, checksums: data.checksums)
        }
        let evaluation = try stages.run(.evaluating) {
            obtained.evaluation ?? obtained.network.evaluate(data.test, threads: options.threads)
        }
        print(String(format: "    test accuracy %.2f %% (%d of %d)", 100 * evaluation.accuracy, evaluation.correct, evaluation.total))
        if let implausible = ImplausibleAccuracy(obtained, evaluation) { fputs(implausible.warning + "\n", stderr) }

        let digits = try stages.run(.reconstructing) { () throws -> [DigitReconstruction] in
            let network = obtained.network, mode = options.mode
            let choices = try DigitChoice.choose(digits: options.digits, labels: data.test.labels, predictions: evaluation.predictions,
                                                 model: network, images: { data.test.images($0) })
            let deconvnet = Deconvnet(network: network)
            let digits = choices.map { choice in
                DigitReconstruction(digit: choice.digit, testIndex: choice.testIndex, image: data.test.images([choice.testIndex]),
                                    deconvnet: deconvnet, mode: mode)
            }
            for d in digits where !d.correct {
                print("    note: no test image of digit \(d.digit) is classified correctly; showing the closest candidate, "
                    + "test image \(d.testIndex) (taken for \(Templates.withArticle("\(d.predicted)")))")
            }
            print("    " + digits.map { "digit \($0.digit): test image \($0.testIndex)" }.joined(separator: ", ")
                + " (mode \(mode.rawValue))")
            return digits
        }
        let analyses = try stages.run(.analyses) { () -> AnalysisResults in
            let analyses = AnalysisResults(network: obtained.network, exportMetadata: obtained.exportMetadata, digits: digits, data: data,
                                           checkpoints: obtained.checkpoints, mode: options.mode, seed: options.training.seed,
                                           faithfulnessImages: options.faithfulnessImages, folder: folder, threads: options.threads)
            if !analyses.readBack.isEmpty {
                print("    read back \(Formatted.list(analyses.readBack.map(\.name))) "
                    + "(the same model and settings; --retrain computes everything anew)")
            }
            return analyses
        }
        return RunResults(data: data, train: train, dataFolder: options.data, obtained: obtained, evaluation: evaluation,
                          digits: digits, mode: options.mode,
                          unpooling: UnpoolingExample(digit: digits[0].digit, image: digits[0].input, network: obtained.network),
                          analyses: analyses, provenance: .current(commandLine: options.commandLine))
    }
}
