import Foundation
import Testing

/// Runs the built `report` executable the way a user does.
struct ReportCommand {
    /// `make test` builds the executable into the same folder as the test runner.
    static let executable: URL = {
        if let override = ProcessInfo.processInfo.environment["REPORT_EXECUTABLE"] { return URL(fileURLWithPath: override) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("report")
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
        try ChildProcess.run(executable, quick(arguments), in: repository, environment: environment)
    }

    /// Starts `report` and returns at once.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(executable, quick(arguments), in: repository, environment: environment)
    }

    /// The arguments, measuring the explanations' faithfulness over 20 test images rather than
    /// 1,000 unless they say otherwise: the tests' quick models need no more, and the computation
    /// itself is tested in AnalysesTests.
    static func quick(_ arguments: [String]) -> [String] {
        arguments.contains("--faithfulness-images") ? arguments : arguments + ["--faithfulness-images", "20"]
    }

    /// poppler-utils' pdftotext, which `make test` installs.
    static let hasPdfText = FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")

    /// The text of a PDF by poppler's pdftotext.
    static func pdfText(_ path: String) throws -> String {
        try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-layout", path, "-"]).output
    }
}

/// Other commands the tests run (mount, for a full disk).
enum Shell {
    @discardableResult
    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        (process.standardOutput, process.standardError) = (FileHandle.nullDevice, FileHandle.nullDevice)
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

func temporaryFolder(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID())").path
}

@Suite(.serialized) struct ReportCommandTests {
    @Test func quickRunWritesEveryOutputAndReusesTheModel() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ReportCommand.executable.path),
                     "the test target depends on report, so it is built beside the tests: \(ReportCommand.executable.path)")
        let output = temporaryFolder("report")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let arguments = ["--train-limit", "2000", "--epochs", "2", "--output", output, "--digits", "3", "7"]
        let first = try ReportCommand.run(arguments)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("[8/9] typesetting the PDF and the HTML pages, drawing figures …\n[9/9] writing"))

        let files = ["model.safetensors", "metrics.json", "training.csv", "training_steps.csv", "deconvnet.safetensors",
                     "top9.safetensors", "evolution.safetensors", "invariance.safetensors", "occlusion.safetensors",
                     "rules.safetensors", "sanity.safetensors", "attributions.safetensors", "faithfulness.safetensors",
                     "report.md", "report.pdf", "report.html", "run.txt"]
        for file in files { #expect(FileManager.default.fileExists(atPath: "\(output)/\(file)"), "\(file) is missing") }
        let figures = try FileManager.default.contentsOfDirectory(atPath: "\(output)/figures")
        for name in ["samples", "confusion_matrix", "loss_per_step", "digit3_reconstructions", "digit7_features", "unpooling_example"] {
            for format in ["svg", "pdf", "png"] { #expect(figures.contains("\(name).\(format)"), "figures/\(name).\(format) is missing") }
        }

        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(output)/metrics.json")))
            as! [String: Any]
        let accuracy = try #require(metrics["test_accuracy"] as? Double)
        let shown = String(format: "%.2f", 100 * accuracy)
        let markdown = try String(contentsOfFile: "\(output)/report.md", encoding: .utf8)
        #expect(markdown.contains("**\(shown)\u{00A0}%**"), "report.md should state the accuracy \(shown) %")
        #expect(!markdown.contains("⟦") && !markdown.contains("{{"), "every placeholder is filled")
        do {
            try #require(ReportCommand.hasPdfText, "reading the PDF needs poppler-utils, which make test installs")
            let text = try ReportCommand.pdfText("\(output)/report.pdf")
            for section in ["1. Introduction", "2. Data", "3. Architecture", "4. Training", "5. Accuracy", "6. Learned filters",
                            "7. The deconvnet", "8. Reconstructions", "9. What each map responds to", "10. Feature evolution",
                            "11. Invariance", "12. Occlusion", "13. Three ways back", "14. Can the pictures be trusted?",
                            "15. Explaining the decision", "16. Conclusion and limitations", "17. Reproducibility", "Digit 3", "Digit 7"] {
                #expect(text.contains(section), "the PDF lacks \(section)")
            }
            #expect(text.contains("\(shown) %") || text.contains("\(shown)\u{00A0}%"), "the PDF should state the accuracy")
            #expect(text.contains("Figure 1.") && text.contains("Table 1."))
        }

        // A second run reuses the model and reads the costly analyses back, and exports the same bytes.
        let exports = ["deconvnet", "top9", "evolution", "invariance", "occlusion", "rules", "sanity", "attributions", "faithfulness"]
            .map { "\($0).safetensors" }
        let before = try exports.map { try Data(contentsOf: URL(fileURLWithPath: "\(output)/\($0)")) }
        let second = try ReportCommand.run(arguments)
        #expect(second.status == 0, "\(second.error)")
        #expect(second.output.contains("reusing"), "the second run should reuse the model: \(second.output)")
        #expect(second.output.contains("read back top9.safetensors, evolution.safetensors, rules.safetensors, sanity.safetensors, "
                                       + "attributions.safetensors and faithfulness.safetensors"),
                "\(second.output)")
        let after = try exports.map { try Data(contentsOf: URL(fileURLWithPath: "\(output)/\($0)")) }
        for (name, (a, b)) in zip(exports, zip(before, after)) { #expect(a == b, "\(name) differs when read back") }
        // It keeps every figure's PDF and PNG, which are what the first run drew; one altered since is drawn again.
        let count = figures.filter { $0.hasSuffix(".svg") }.count
        #expect(second.output.contains("kept the PDF and PNG of \(count) of \(count) figures"), "\(second.output)")
        let figureBytes = { try figures.map { try Data(contentsOf: URL(fileURLWithPath: "\(output)/figures/\($0)")) } }
        let drawn = try figureBytes()
        try Data("altered".utf8).write(to: URL(fileURLWithPath: "\(output)/figures/samples.png"))
        let third = try ReportCommand.run(arguments)
        #expect(third.output.contains("kept the PDF and PNG of \(count - 1) of \(count) figures"), "\(third.output)")
        #expect(try figureBytes() == drawn)

        // Other settings train again; a model file renders into a folder of its own.
        let reseeded = try ReportCommand.run(arguments + ["--seed", "2"])
        #expect(reseeded.status == 0 && !reseeded.output.contains("reusing"), "\(reseeded.output)")
        let elsewhere = temporaryFolder("weights")
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let loaded = try ReportCommand.run(["--weights", "\(output)/model.safetensors", "--output", elsewhere, "--digits", "3", "7"])
        #expect(loaded.status == 0, "\(loaded.error)")
        let loadedMarkdown = try String(contentsOfFile: "\(elsewhere)/report.md", encoding: .utf8)
        #expect(loadedMarkdown.contains("were loaded from") && loadedMarkdown.contains("no training history"))
        #expect(loadedMarkdown.contains("Feature evolution needs the checkpoints of a training run"))
        #expect(!FileManager.default.fileExists(atPath: "\(elsewhere)/evolution.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: "\(elsewhere)/model.safetensors"))
    }

    @Test func badInputFailsWithOneLineAndWritesNothing() throws {
        let output = temporaryFolder("bad")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let missing = try ReportCommand.run(["--data", "/nonexistent", "--output", output])
        #expect(missing.status == 1)
        #expect(missing.error.hasPrefix("error: stage 1 (reading MNIST) failed: /nonexistent/train-images-idx3-ubyte.gz: not found"),
                "\(missing.error)")
        #expect(missing.error.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: output))

        let weights = try ReportCommand.run(["--weights", "\(repository.path)/Data/SHA256SUMS", "--output", output])
        #expect(weights.status == 1)
        #expect(weights.error.contains("stage 2 (training) failed") && weights.error.contains("SHA256SUMS"), "\(weights.error)")

        let zeroEpochs = try ReportCommand.run(["--epochs", "0", "--output", output])
        #expect(zeroEpochs.status != 0 && zeroEpochs.error.contains("--epochs must be from 1 to 1,000"))
        let badDigit = try ReportCommand.run(["--digits", "12", "--output", output])
        #expect(badDigit.status != 0 && badDigit.error.contains("--digits takes digits 0–9"))
    }
}
