import Foundation
import MNIST
import Network
import Testing

/// The output folder as one transaction: a run stopped at any moment (SIGKILL, Ctrl-C, a failure in
/// any stage, a full disk) leaves the folder either the previous one byte for byte or the new one
/// complete, and no staging folder behind once the next run has started. The runs stop at named
/// moments through `REPORT_TEST_HOOK` (`pause@M` stops the process with SIGSTOP there, `fail@M`
/// throws), so that each case is exact and the whole suite stays short.
@Suite(.serialized) struct OutputTransactionTests {
    /// The previous report's settings; a run with them again reuses everything (a warm run).
    static let previous = ["--train-limit", "500", "--epochs", "1"]
    /// A new model: trained again with another seed, so every file but the data's changes.
    static let retrain = ["--retrain", "--seed", "2", "--train-limit", "500", "--epochs", "1"]
    /// The moments of a run in order, for a folder swapped beside its parent by RENAME_EXCHANGE.
    static let moments = ["staged"] + (1...9).map { "stage-\($0)" }.inserted("trained", after: "stage-2")
        + ["written", "commit", "swapped"]

    /// The previous report, made once.
    static let original: String = {
        let folder = temporaryFolder("transaction") + "/report"
        let run = try! ReportCommand.run(previous + ["--output", folder])
        precondition(run.status == 0, "the previous report could not be made: \(run.error)")
        return folder
    }()

    /// A copy of the previous report as `report` in a parent folder of its own, where the staging
    /// folder goes.
    static func copy() throws -> String {
        let parent = temporaryFolder("transaction")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: original, toPath: parent + "/report")
        return parent + "/report"
    }

    /// Every file below `folder` with its bytes, but for the staging folder a run keeps inside it
    /// when it cannot swap the folder itself (`leftovers` looks for that).
    static func snapshot(_ folder: String) -> [String: Data] {
        BadInputTests.snapshot(folder).filter { !$0.key.hasPrefix(".report-staging") }
    }

    /// What is left beside and inside `folder` that is not a report's: staging folders, set-aside
    /// folders, temporary files.
    static func leftovers(_ folder: String) -> [String] {
        let parent = (folder as NSString).deletingLastPathComponent, name = (folder as NSString).lastPathComponent
        let beside = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.hasPrefix(".\(name).report-") }
        let inside = (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasPrefix(".report") || $0.hasSuffix(".tmp") }
        return beside + inside
    }

    enum Outcome: Equatable { case previous, new }

    /// Whether `folder` is the previous report byte for byte or a complete, consistent new one: its
    /// writeup and its exports name the SHA-256 of the model beside them, and the writeup the
    /// accuracy in metrics.json beside it.
    static func outcome(_ folder: String, previous: [String: Data], _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Outcome? {
        let now = snapshot(folder)
        if now == previous { return .previous }
        let files = ["model.safetensors", "metrics.json", "training.csv", "training_steps.csv", "deconvnet.safetensors", "top9.safetensors",
                     "evolution.safetensors", "invariance.safetensors", "occlusion.safetensors", "rules.safetensors", "sanity.safetensors",
                     "attributions.safetensors", "faithfulness.safetensors",
                     "report.md", "report.pdf", "report.html", "explorer.html", "run.txt"]
        let missing = files.filter { now[$0] == nil }
        guard missing.isEmpty, let model = now["model.safetensors"],
              let markdown = now["report.md"].map({ String(decoding: $0, as: UTF8.self) }),
              let metrics = try? JSONSerialization.jsonObject(with: now["metrics.json"]!) as? [String: Any],
              let accuracy = metrics["test_accuracy"] as? Double else {
            Issue.record("\(what): neither the previous report nor a complete one (missing \(missing))", sourceLocation: sourceLocation)
            return nil
        }
        let sha256 = SHA256.hex(model)
        let names = ["deconvnet", "top9", "evolution", "invariance", "occlusion", "rules", "sanity", "attributions", "faithfulness"]
        let exports = names.filter { name in
            (try? Safetensors.decode([UInt8](now["\(name).safetensors"]!), path: name))?.metadata["model_sha256"] != sha256
        }
        let shown = String(format: "%.2f", 100 * accuracy)
        guard exports.isEmpty, markdown.contains(String(sha256.prefix(32))), markdown.contains("**\(shown)\u{00A0}%**") else {
            Issue.record("\(what): a new report that does not describe the model beside it (exports \(exports), accuracy \(shown))",
                         sourceLocation: sourceLocation)
            return nil
        }
        #expect(now.count > previous.count / 2, "\(what): the new report has \(now.count) files", sourceLocation: sourceLocation)
        return .new
    }

    /// The next run's view after a SIGKILL at this moment: a copy of everything the stopped run
    /// left, then a run that recovers and stops at once. The copy, not the folder, so that the
    /// stopped run can go on to the next moment.
    static func expectRecoveredCopy(of folder: String, previous: [String: Data], moment: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome? {
        let parent = (folder as NSString).deletingLastPathComponent, copy = temporaryFolder("killed")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        #expect(Shell.run(["cp", "-a", parent, copy]), sourceLocation: sourceLocation)
        let next = try ReportCommand.run(Self.previous + ["--output", copy + "/report"], environment: ["REPORT_TEST_HOOK": "fail@staged"])
        #expect(next.error.contains("injected failure at staged"), "killed at \(moment), the next run: \(next.error)",
                sourceLocation: sourceLocation)
        #expect(leftovers(copy + "/report") == [], "killed at \(moment), the next run left \(leftovers(copy + "/report"))",
                sourceLocation: sourceLocation)
        return outcome(copy + "/report", previous: previous, "killed at \(moment)", sourceLocation: sourceLocation)
    }

    /// One run trained anew, stopped at every moment in turn: at each, the folder is the previous
    /// report exactly until the swap, and what a SIGKILL there would leave is recovered by the next
    /// run into the previous report or the new one; at the last moment it is killed for real. The
    /// swap's two fallbacks take a warm run (no training), whose new run.txt tells it apart.
    @Test(arguments: [("exchange", moments),
                      ("no-exchange", moments.filter { $0 != "trained" }.inserted("set-aside", after: "commit")),
                      ("in-place", moments.filter { $0 != "trained" }.inserted("journal", after: "commit")
                                          .inserted("moved-first", after: "journal"))])
    func killedAtEveryMoment(_ layout: String, _ expected: [String]) throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let before = Self.snapshot(folder)
        let hook = (layout == "exchange" ? [] : [layout]) + ["pause@*"]
        let child = try ReportCommand.start((layout == "exchange" ? Self.retrain : Self.previous) + ["--output", folder],
                                            environment: ["REPORT_TEST_HOOK": hook.joined(separator: ",")])
        var seen: [String] = []
        while let moment = child.waitUntilStopped(pauses: seen.count + 1) {
            seen.append(moment)
            let swapped = ["moved-first", "swapped"].contains(moment)
            if moment == "set-aside" {
                #expect(!FileManager.default.fileExists(atPath: folder), "between the two renames the folder is set aside")
            } else if !swapped {
                #expect(Self.snapshot(folder) == before, "paused at \(moment) (\(layout)), the folder changed")
            }
            let recovered = try Self.expectRecoveredCopy(of: folder, previous: before, moment: "\(moment) (\(layout))")
            let rollsForward = swapped || (layout == "in-place" && moment == "journal")
            #expect(recovered == (rollsForward ? .new : .previous), "killed at \(moment) (\(layout))")
            if moment == "swapped" {
                child.signal(SIGKILL)
                _ = child.finish()
                let next = try ReportCommand.run(Self.previous + ["--output", folder], environment: ["REPORT_TEST_HOOK": "fail@staged"])
                #expect(next.status == 1)
                #expect(Self.leftovers(folder) == [], "after a SIGKILL at swapped (\(layout)): \(Self.leftovers(folder))")
                #expect(Self.outcome(folder, previous: before, "killed at swapped (\(layout))") == .new)
                break
            }
            child.signal(SIGCONT)
        }
        #expect(seen == expected, "the run paused at \(seen)\n\(child.error)")
    }

    /// SIGKILL for real, early in a run that trains anew: the model is new, the folder is not.
    @Test(arguments: ["trained", "stage-5"])
    func killedForReal(_ moment: String) throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let before = Self.snapshot(folder)
        let child = try ReportCommand.start(Self.retrain + ["--output", folder], environment: ["REPORT_TEST_HOOK": "pause@\(moment)"])
        try #require(child.waitUntilStopped() != nil, "the run did not stop at \(moment): \(child.error)")
        child.signal(SIGKILL)
        _ = child.finish()
        #expect(Self.snapshot(folder) == before)
        #expect(!Self.leftovers(folder).isEmpty, "a killed run leaves its staging folder")
        let next = try ReportCommand.run(Self.previous + ["--output", folder], environment: ["REPORT_TEST_HOOK": "fail@staged"])
        #expect(next.status == 1)
        #expect(Self.leftovers(folder) == [], "the next run removes it: \(Self.leftovers(folder))")
        #expect(Self.snapshot(folder) == before)
    }

    /// Ctrl-C at a moment: status 130, one line, the previous report (or, during the swap, the new
    /// one, complete) and nothing else. Until the model is trained the run trains anew; later
    /// moments use a warm run, whose new run.txt tells it from the previous report.
    @Test(arguments: [("staged", true), ("stage-2", true), ("trained", true), ("stage-5", true), ("stage-8", false),
                      ("commit", false), ("swapped", false)])
    func interrupted(_ moment: String, _ trainsAnew: Bool) throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let before = Self.snapshot(folder)
        let child = try ReportCommand.start((trainsAnew ? Self.retrain : Self.previous) + ["--output", folder],
                                            environment: ["REPORT_TEST_HOOK": "pause@\(moment)"])
        try #require(child.waitUntilStopped() != nil, "the run did not stop at \(moment): \(child.error)")
        child.signal(SIGINT)
        child.signal(SIGCONT)
        let run = child.finish()
        let outcome = Self.outcome(folder, previous: before, "interrupted at \(moment)")
        #expect(outcome == (moment == "swapped" ? .new : .previous), "interrupted at \(moment)")
        #expect(Self.leftovers(folder) == [], "interrupted at \(moment): \(Self.leftovers(folder))")
        // Once swapped, the run may end before the handler has begun.
        guard !(moment == "swapped" && run.status == 0) else { return }
        #expect(run.status == 130, "interrupted at \(moment): status \(run.status)\n\(run.error)")
        let errors = run.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors.first?.contains(outcome == .new ? "already holds the new report" : "is as it was") == true,
                "\(run.error)")
    }

    /// Ctrl-C during the commit of a folder that cannot be swapped (a mount point): before the
    /// journal, the previous report; after it, the handler waits for the moves to end and says the
    /// new report is complete. The run's thread holds the commit's lock meanwhile, so it must not
    /// wait for the handler in turn, which would hang both.
    @Test(arguments: [("commit", Outcome.previous), ("journal", .new), ("moved-first", .new)])
    func interruptedDuringTheMovesInPlace(_ moment: String, _ expected: Outcome) throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let before = Self.snapshot(folder)
        let child = try ReportCommand.start(Self.previous + ["--output", folder],
                                            environment: ["REPORT_TEST_HOOK": "in-place,pause@\(moment)"])
        try #require(child.waitUntilStopped() != nil, "the run did not stop at \(moment): \(child.error)")
        child.signal(SIGINT)
        child.signal(SIGCONT)
        let run = try #require(child.finish(within: 60), "interrupted at \(moment) in place, the run hung")
        #expect(Self.outcome(folder, previous: before, "interrupted at \(moment) in place") == expected)
        #expect(Self.leftovers(folder) == [], "interrupted at \(moment) in place: \(Self.leftovers(folder))")
        #expect(run.status == 130, "interrupted at \(moment) in place: status \(run.status)\n\(run.error)")
        let errors = run.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors.first?.contains(expected == .new ? "already holds the new report" : "is as it was") == true,
                "\(run.error)")
    }

    /// A failure in each stage, and at the other moments before the swap: one line, the previous
    /// report byte for byte, no staging folder.
    @Test(arguments: ["staged", "stage-1", "stage-2", "trained", "stage-3", "stage-4", "stage-5", "stage-6", "stage-7", "stage-8",
                      "stage-9", "written", "commit"])
    func failureLeavesThePreviousReport(_ moment: String) throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let before = Self.snapshot(folder)
        let trainsAnew = Self.moments.firstIndex(of: moment)! <= Self.moments.firstIndex(of: "stage-5")!
        let run = try ReportCommand.run((trainsAnew ? Self.retrain : Self.previous) + ["--output", folder],
                                        environment: ["REPORT_TEST_HOOK": "fail@\(moment)"])
        #expect(run.status == 1)
        let errors = run.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors.first?.contains("injected failure at \(moment)") == true, "\(run.error)")
        if moment.hasPrefix("stage-") {
            #expect(errors.first?.contains("stage \(moment.dropFirst(6)) (") == true, "the error names the stage: \(run.error)")
        }
        #expect(Self.leftovers(folder) == [], "failed at \(moment): \(Self.leftovers(folder))")
        #expect(Self.snapshot(folder) == before, "failed at \(moment): the previous report changed")
    }

    /// The disk fills up just before the swap. Swapped beside (a folder on a small tmpfs), the
    /// exchange needs no space and the new report is in place; swapped inside (the tmpfs is the
    /// output folder, a mount point), the journal cannot be written and the previous report stays.
    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs"), arguments: ["beside", "mount point"])
    func fullDiskAtTheSwap(_ layout: String) throws {
        let disk = temporaryFolder("swap-disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard Shell.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", disk]) else {
            Issue.record("could not mount a tmpfs at \(disk)")
            return
        }
        defer {
            Shell.run(["umount", disk])
            try? FileManager.default.removeItem(atPath: disk)
        }
        let folder = layout == "beside" ? disk + "/report" : disk
        #expect(Shell.run(["cp", "-a", Self.original + "/.", folder + "/"]))
        let before = Self.snapshot(folder)
        let child = try ReportCommand.start(Self.previous + ["--output", folder], environment: ["REPORT_TEST_HOOK": "pause@commit"])
        try #require(child.waitUntilStopped() != nil, "the run did not stop at commit: \(child.error)")
        // Fill the disk to its last byte.
        Shell.run(["dd", "if=/dev/zero", "of=\(disk)/filler", "bs=64k"])
        child.signal(SIGCONT)
        let run = child.finish()
        try? FileManager.default.removeItem(atPath: disk + "/filler")
        #expect(Self.leftovers(folder).filter { $0 != "filler" } == [], "\(layout): \(Self.leftovers(folder))")
        if layout == "beside" {
            #expect(run.status == 0, "\(run.error)")
            #expect(Self.outcome(folder, previous: before, "full disk at the swap (\(layout))") == .new)
        } else {
            #expect(run.status == 1 && run.error.contains("no space left"), "\(run.error)")
            #expect(Self.snapshot(folder).filter { $0.key != "filler" } == before, "the previous report changed")
        }
    }
}

private extension Array where Element == String {
    func inserted(_ element: String, after other: String) -> [String] {
        var copy = self
        copy.insert(element, at: firstIndex(of: other)! + 1)
        return copy
    }
}
