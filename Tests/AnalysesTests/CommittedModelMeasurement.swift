import Foundation
import Testing
@testable import Analyses
import Deconvnet
import Network
import MNIST

/// The sanity checks on the committed model and the report's four test images, printed, with the
/// time they take. Opt-in (`SANITY_MEASURE=1`): the numbers belong to `Report/model.safetensors`,
/// which retraining replaces. Also checks that the deconvnet rule reproduces the committed
/// `Report/deconvnet.safetensors` bit for bit, as the code before the rules did on this machine
/// (sgemm kernels chosen per processor may round differently elsewhere).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SANITY_MEASURE"] != nil))
struct CommittedModelMeasurement {
    @Test func measureOnTheCommittedModel() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let report = repository.appendingPathComponent("Report")
        let modelPath = report.appendingPathComponent("model.safetensors").path
        let model = try LeNet5(checkpoint: Safetensors.read(from: modelPath), path: modelPath).network
        let test = try MNIST.load(from: repository.appendingPathComponent("Data").path).test
        let digits = [0, 1, 5, 8], indices = [3, 2, 8, 61]
        #expect(indices.map { Int(test.labels[$0]) } == digits)
        let images = indices.map { test.images([$0]) }

        // Phases, after a warm-up.
        _ = SanityChecks(network: model, digits: digits, images: images)
        var t = Date()
        let projections = (0..<4).map { _ in BackwardRuleProjections(network: model, digits: digits, images: images) }
        print(String(format: "4 × 264 projections: %.3f s", Date().timeIntervalSince(t)))
        let all = SanityCondition.all(model)
        let conditions = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, projections[$0]) })
        t = Date()
        _ = SanityChecks.compare(conditions, conditions: Array(all.dropFirst()), threads: 2)
        print(String(format: "9 × 88 comparisons: %.3f s", Date().timeIntervalSince(t)))
        t = Date()
        _ = BackwardRule.allCases.map { SanityChecks.baseline($0, projections[0], images: images) }
        print(String(format: "baselines: %.3f s", Date().timeIntervalSince(t)))
        var seconds: [Double] = []
        var checks: SanityChecks!
        for _ in 0..<3 {
            let start = Date()
            checks = SanityChecks(network: model, digits: digits, images: images)
            seconds.append(Date().timeIntervalSince(start))
        }
        t = Date()
        let files = (checks.file(metadata: [:]), checks.rules.file(metadata: [:]))
        let building = Date().timeIntervalSince(t)
        t = Date()
        let encoded = (files.0.encoded().count, files.1.encoded().count)
        print("sanity checks: \(seconds.map { String(format: "%.3f", $0) }.joined(separator: ", ")) s; building both files "
              + String(format: "%.3f s, encoding them %.3f s", building, Date().timeIntervalSince(t)) + " (\(encoded.0) and \(encoded.1) bytes)")

        func f(_ x: Double) -> String { String(format: "%6.3f", x) }
        func row(_ s: SimilaritySummary) -> String {
            "mean \(f(s.mean)) [min \(f(s.minimum)), q1 \(f(s.lowerQuartile)), median \(f(s.median)), q3 \(f(s.upperQuartile)), max \(f(s.maximum))] n=\(s.count) skipped=\(s.skipped)"
        }
        for c in checks.comparisons {
            for measure in SanityComparison.Measure.allCases {
                print("\(c.condition.key).\(c.rule.rawValue).\(measure.rawValue): all \(row(measure == .spearman ? c.spearmanSummary : c.ssimSummary))")
                for layer in model.convolutionalLayers { print("    \(layer.name): \(row(c.summary(measure, layer: layer)))") }
            }
        }
        for b in checks.baselines {
            print("\(b.rule.rawValue).input_spearman: \(row(b.inputSpearmanSummary))")
            print("\(b.rule.rawValue).pairwise_spearman: \(b.pairwiseSpearman.map(f)) skipped \(b.pairwiseSkipped)")
        }

        // For an independent check in Python: SANITY_EXPORT=folder writes both files there.
        if let folder = ProcessInfo.processInfo.environment["SANITY_EXPORT"] {
            let metadata = Dictionary(uniqueKeysWithValues: zip(digits, indices).map { ("digit\($0).test_index", "\($1)") })
            try checks.file(metadata: metadata).write(to: folder + "/sanity.safetensors")
            try checks.rules.file(metadata: metadata).write(to: folder + "/rules.safetensors")
        }

        let committed = try Safetensors.read(from: report.appendingPathComponent("deconvnet.safetensors").path)
        if committed.metadata["mode"] == "whole-map" {
            for (index, digit) in digits.enumerated() {
                #expect(committed["digit\(digit).input"]?.values == images[index])
                for (layer, map) in model.allMaps {
                    let ours = checks.rules.projection(.deconvnet, image: index, layer: layer, map: map)
                    #expect(committed["digit\(digit).\(layer.name).\(map)"]?.values.map(\.bitPattern) == ours.map(\.bitPattern),
                            "digit \(digit) \(layer.name) map \(map) differs from Report/deconvnet.safetensors")
                }
            }
        }
    }
}
