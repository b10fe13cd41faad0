import Foundation
import Network
import Testing

/// Every class of bad input runs the real binary and must end with a non-zero status, exactly one
/// `error:` line naming the file or option at fault, no crash report or raw Foundation error, and
/// the previous report folder left byte for byte as it was.
@Suite(.serialized) struct BadInputTests {
    /// The previous report's training settings.
    static let previous = ["--train-limit", "1000", "--epochs", "1"]

    /// A previous report to keep intact, and a scratch folder for broken inputs; made once.
    static let setup: (report: String, scratch: String) = {
        let report = temporaryFolder("previous"), scratch = temporaryFolder("broken")
        try! FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let run = try! ReportCommand.run(previous + ["--output", report])
        precondition(run.status == 0, "the previous report could not be made: \(run.error)")
        return (report, scratch)
    }()

    /// Every file below `folder` with its bytes.
    static func snapshot(_ folder: String) -> [String: Data] {
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        return Dictionary(uniqueKeysWithValues: files.compactMap { name in
            FileManager.default.contents(atPath: "\(folder)/\(name)").map { (name, $0) }
        })
    }

    /// A copy of Data/ with `name` replaced by `bytes` (nil: removed); `checksums: false` drops
    /// SHA256SUMS so that the parser, not the checksum, meets the damage.
    static func data(_ name: String, _ bytes: [UInt8]?, checksums: Bool = false) -> String {
        let folder = "\(setup.scratch)/data-\(UUID())"
        try! FileManager.default.copyItem(atPath: repository.appendingPathComponent("Data").path, toPath: folder)
        try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        if let bytes { FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data(bytes)) }
        if !checksums { try! FileManager.default.removeItem(atPath: "\(folder)/SHA256SUMS") }
        return folder
    }

    /// `bytes` as a gzip file of stored (uncompressed) deflate blocks, written out by hand (RFC 1951
    /// section 3.2.4, RFC 1952) so that the test needs no compressor.
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var start = 0
        repeat {
            let count = min(65_535, bytes.count - start), last = start + count == bytes.count
            out += [last ? 1 : 0, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += bytes[start..<(start + count)]
            start += count
        } while start < bytes.count
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return out + withUnsafeBytes(of: (~crc).littleEndian, Array.init)
            + withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init)
    }

    static let realLabels =
        [UInt8](FileManager.default.contents(atPath: repository.appendingPathComponent("Data/t10k-labels-idx1-ubyte.gz").path)!)

    /// An IDX label file header with `magic` and `count`, and `count` labels.
    static func labels(magic: UInt32 = 0x801, count: UInt32, actual: Int) -> [UInt8] {
        withUnsafeBytes(of: magic.bigEndian, Array.init) + withUnsafeBytes(of: count.bigEndian, Array.init)
            + [UInt8](repeating: 1, count: actual)
    }

    /// A safetensors file, the model's but with `edit` applied to its bytes.
    static func weights(_ edit: (inout [UInt8]) -> Void) -> String {
        var bytes = LeNet5(seed: 1).checkpoint(metadata: [:]).encoded()
        edit(&bytes)
        let path = "\(setup.scratch)/weights-\(UUID()).safetensors"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func weights(_ file: Safetensors) -> String { weights { $0 = file.encoded() } }

    /// The model's file with one tensor replaced (nil: removed).
    static func model(replacing name: String, with tensor: Safetensors.Tensor?) -> String {
        var file = LeNet5(seed: 1).checkpoint(metadata: [:])
        file[name] = tensor
        return weights(file)
    }

    static func header(_ bytes: [UInt8]) -> Int { Int(bytes[0]) | Int(bytes[1]) << 8 }

    /// A copy of Templates/ with `text` as the template file `name`.
    static func template(_ text: String, as name: String = "17-reproducibility.md.mustache") -> String {
        let folder = "\(setup.scratch)/templates-\(UUID())"
        try! FileManager.default.copyItem(atPath: repository.appendingPathComponent("Templates").path, toPath: folder)
        try! text.write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
        return folder
    }

    /// (what, arguments, a phrase the error line must hold).
    static let cases: [(String, @Sendable () -> [String], String)] = [
        ("missing data file", { ["--data", data("t10k-labels-idx1-ubyte.gz", nil)] }, "t10k-labels-idx1-ubyte.gz: not found"),
        ("truncated gzip", { ["--data", data("t10k-labels-idx1-ubyte.gz", Array(realLabels.prefix(realLabels.count / 2)))] },
         "t10k-labels-idx1-ubyte.gz"),
        ("garbage data file", { ["--data", data("train-images-idx3-ubyte.gz", Array("not a gzip file".utf8))] },
         "train-images-idx3-ubyte.gz"),
        ("checksum mismatch",
         { ["--data", data("t10k-labels-idx1-ubyte.gz", gzip(labels(count: 10_000, actual: 10_000)), checksums: true)] },
         "SHA-256"),
        ("wrong IDX magic", { ["--data", data("t10k-labels-idx1-ubyte.gz", gzip(labels(magic: 0x803, count: 10_000, actual: 10_000)))] },
         "t10k-labels-idx1-ubyte.gz"),
        ("count disagrees with the file", { ["--data", data("t10k-labels-idx1-ubyte.gz", gzip(labels(count: 10_000, actual: 9_000)))] },
         "t10k-labels-idx1-ubyte.gz"),
        ("safetensors header past the end", { ["--weights", weights { $0[0] = 0xFF; $0[1] = 0xFF; $0[2] = 0xFF }] }, "runs past the end"),
        ("invalid JSON header", { ["--weights", weights { $0[9] = UInt8(ascii: "}") }] }, "not a JSON object"),
        ("overlapping offsets", { ["--weights", weights { bytes in
            let text = String(decoding: bytes[8..<(8 + header(bytes))], as: UTF8.self)
            let fixed = text.replacingOccurrences(of: #""data_offsets":[600,"#, with: #""data_offsets":[596,"#)
            bytes.replaceSubrange(8..<(8 + header(bytes)), with: Array(fixed.utf8))
        }] }, "safetensors"),
        ("out-of-range offsets", { ["--weights", weights { $0.removeLast(4) }] }, "safetensors"),
        ("wrong shape", { ["--weights", model(replacing: "fc3.bias", with: .init(shape: [2, 5], values: Array(repeating: 0, count: 10)))] },
         "fc3.bias has shape [2, 5]"),
        ("missing tensor", { ["--weights", model(replacing: "conv2.weight", with: nil)] }, "has no tensor conv2.weight"),
        ("NaN weights",
         { ["--weights", model(replacing: "fc3.bias", with: .init(shape: [10], values: [.nan] + Array(repeating: 0, count: 9)))] },
         "NaN or infinite"),
        ("integer dtype",
         { ["--weights", model(replacing: "fc3.bias", with: .init(shape: [10], integers: Array(repeating: 0, count: 10)))] },
         "holds integers (I64)"),
        ("unreadable weights", { ["--weights", "\(setup.scratch)/none.safetensors"] }, "--weights"),
        // Written by PyTorch (Tests/Fixtures/make_pytorch_fixtures.py): never unpickled, refused with the conversion.
        ("a torch.save zip archive", { ["--weights", PyTorchWeightsTests.fixture("lenet5.pt")] },
         #"safetensors.torch.save_file(torch.load(""#),
        ("a legacy torch.save pickle", { ["--weights", PyTorchWeightsTests.fixture("lenet5-legacy.pt")] }, "legacy pickle format"),
        ("another network", { ["--weights", PyTorchWeightsTests.fixture("not-lenet5.safetensors")] },
         "tensor conv1.weight has shape [8, 1, 3, 3], LeNet-5 needs [6, 1, 5, 5]"),
        ("one layer too many", { ["--weights", weights { bytes in
            var file = try! Safetensors.decode(bytes, path: "w")
            file["fc4.weight"] = .init(shape: [10, 10], values: Array(repeating: 0, count: 100))
            bytes = file.encoded()
        }] }, "has a tensor fc4.weight that LeNet-5 does not have"),
        ("--normalize with one number", { ["--normalize", "0.5"] }, "--normalize takes two numbers"),
        ("--normalize with std 0", { ["--normalize", "0.5", "0"] }, "--normalize"),
        ("--epochs 0", { ["--epochs", "0"] }, "--epochs"),
        ("--epochs 100000", { ["--epochs", "100000"] }, "--epochs"),
        ("--batch-size 0", { ["--batch-size", "0"] }, "--batch-size"),
        ("--batch-size 100000000", { ["--batch-size", "100000000"] }, "--batch-size"),
        ("batch larger than the train limit", { ["--batch-size", "500", "--train-limit", "100"] }, "--batch-size"),
        ("--threads 3", { ["--threads", "3"] }, "--threads"),
        ("--train-limit 0", { ["--train-limit", "0"] }, "--train-limit"),
        ("--train-limit 70000", { ["--train-limit", "70000"] }, "--train-limit"),
        ("--learning-rate -1", { ["--learning-rate", "-1"] }, "--learning-rate"),
        ("--learning-rate nan", { ["--learning-rate", "nan"] }, "--learning-rate"),
        ("--digits 12", { ["--digits", "12"] }, "--digits"),
        ("--digits 3 3", { ["--digits", "3", "3"] }, "--digits"),
        ("--mode sideways", { ["--mode", "sideways"] }, "--mode"),
        ("--faithfulness-images 0", { ["--faithfulness-images", "0"] }, "--faithfulness-images takes 10 to 10,000 test images, not 0"),
        ("--faithfulness-images 20000", { ["--faithfulness-images", "20000"] }, "--faithfulness-images"),
        ("--weights with --retrain", { ["--weights", "x", "--retrain"] }, "--weights"),
        ("an unknown option", { ["--colour", "red"] }, "--colour"),
        ("diverging learning rate", { ["--learning-rate", "1e12", "--train-limit", "640", "--epochs", "1"] }, "diverged"),
        // The previous report's own settings, so that its model is reused and the run reaches the templates.
        ("broken template: a tag without a value", { previous + ["--templates", template("{{training.colour}}")] },
         "17-reproducibility.md.mustache: {{training.colour}} has no value"),
        ("broken template: an unclosed section", { previous + ["--templates", template("{{#training}}open")] },
         "17-reproducibility.md.mustache"),
        ("a template of no section", { previous + ["--templates", template("x", as: "99-extra.md.mustache")] },
         "99-extra.md.mustache belongs to no section"),
        ("missing template folder", { previous + ["--templates", "\(setup.scratch)/no-templates"] }, "no-templates"),
    ]

    @Test(arguments: cases.indices)
    func failsWithOneLineAndKeepsThePreviousReport(_ index: Int) throws {
        let (what, arguments, phrase) = Self.cases[index]
        let before = Self.snapshot(Self.setup.report)
        let needsOutput = !arguments().contains("--output")
        let run = try ReportCommand.run(arguments() + (needsOutput ? ["--output", Self.setup.report] : []))
        expectOneLineFailure(run, phrase: phrase, what)
        #expect(Self.snapshot(Self.setup.report) == before, "\(what): the previous report changed")
    }

    @Test(arguments: ["/proc/report-output", "/dev/null", "/dev/null/report"])
    func unwritableOrNonFolderOutputIsRefusedBeforeAnyWork(_ output: String) throws {
        let run = try ReportCommand.run(["--output", output])
        expectOneLineFailure(run, phrase: output, "--output \(output)")
        #expect(!run.output.contains("[2/"), "it should stop before training: \(run.output)")
    }

    /// A full disk under the output folder: one line in the project's words, nothing half-written.
    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func aFullDiskIsOneLineInWords() throws {
        let disk = temporaryFolder("full-disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard Shell.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk]) else {
            Issue.record("could not mount a tmpfs at \(disk)")
            return
        }
        defer { Shell.run(["umount", disk]) }
        let run = try ReportCommand.run(["--weights", "\(Self.setup.report)/model.safetensors", "--output", disk])
        expectOneLineFailure(run, phrase: "no space left on the device holding \(disk)", "full disk")
        let leftovers = FileManager.default.enumerator(atPath: disk)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".tmp") }
        #expect(leftovers == [], "temporary files left: \(leftovers ?? [])")
    }

    /// A cached model that cannot be read is trained again, and the run says why.
    @Test func unreadableCachedModelIsRetrainedWithAReason() throws {
        let output = temporaryFolder("cached")
        defer { try? FileManager.default.removeItem(atPath: output) }
        try FileManager.default.copyItem(atPath: Self.setup.report, toPath: output)
        let model = "\(output)/model.safetensors"
        let bytes = try #require(FileManager.default.contents(atPath: model))
        _ = FileManager.default.createFile(atPath: model, contents: bytes.prefix(bytes.count / 2))
        let run = try ReportCommand.run(["--train-limit", "1000", "--epochs", "1", "--output", output])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("\(model): tensor") || run.output.contains("\(model): header"), "\(run.output)")
        #expect(run.output.contains("; training a new model"), "\(run.output)")
    }

    /// Ctrl-C during training: one line, status 130, the previous report intact, no temporary files.
    @Test func interruptDuringTrainingLeavesThePreviousReport() throws {
        let before = Self.snapshot(Self.setup.report)
        let child = try ReportCommand.start(["--retrain", "--epochs", "3", "--output", Self.setup.report])
        // Wait until training has started, then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, child.process.isRunning, !child.output.contains("[2/9] training") { usleep(20_000) }
        Thread.sleep(forTimeInterval: 1)
        child.signal(SIGINT)
        let (_, _, error) = child.finish()
        let process = child.process
        #expect(process.terminationStatus == 130 && process.terminationReason == .exit, "status \(process.terminationStatus)")
        let errors = error.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].contains("interrupted"), "\(error)")
        #expect(Self.snapshot(Self.setup.report) == before, "the previous report changed")
        let leftovers = FileManager.default.enumerator(atPath: Self.setup.report)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".tmp") }
        #expect(leftovers == [], "temporary files left: \(leftovers ?? [])")
    }

    func expectOneLineFailure(_ run: (status: Int32, output: String, error: String), phrase: String, _ what: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status != 0, "\(what): exit status 0", sourceLocation: sourceLocation)
        let errors = run.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(what): \(errors.count) error lines in\n\(run.error)", sourceLocation: sourceLocation)
        #expect(errors.first?.contains(phrase) == true, "\(what): the error line should name \(phrase): \(run.error)",
                sourceLocation: sourceLocation)
        for crash in ["Fatal error", "Stack dump", "Backtrace", "NSCocoaErrorDomain", "Error Domain=", "Usage:"] {
            #expect(!run.error.contains(crash), "\(what): \(crash) in\n\(run.error)", sourceLocation: sourceLocation)
        }
    }
}
