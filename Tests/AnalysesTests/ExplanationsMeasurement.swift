import Foundation
import Testing
@testable import Analyses
import Network
import MNIST

/// The explanations on the committed model and the report's digits over the first 1,000 test
/// images, timed phase by phase, with the findings printed. Opt-in (`EXPLANATIONS_MEASURE=1`): the
/// numbers belong to `Report/model.safetensors`, which retraining replaces, and the run takes
/// seconds. `EXPLANATIONS_THREADS=1` runs it on one thread, to compare the bits; `EXPLANATIONS_IMAGES=N`
/// on the first N images only.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["EXPLANATIONS_MEASURE"] != nil))
struct ExplanationsMeasurement {
    @Test func measureOnTheCommittedModel() throws {
        let report = repository.appendingPathComponent("Report")
        let modelPath = report.appendingPathComponent("model.safetensors").path
        let model = try LeNet5(checkpoint: Safetensors.read(from: modelPath), path: modelPath).network
        let test = try MNIST.load(from: repository.appendingPathComponent("Data").path).test
        let threads = Int(ProcessInfo.processInfo.environment["EXPLANATIONS_THREADS"] ?? "2") ?? 2
        let digits = zip([0, 1, 5, 8], [3, 2, 8, 61]).map { DigitImage(digit: $0, testIndex: $1, image: test.images([$1])) }
        let count = Int(ProcessInfo.processInfo.environment["EXPLANATIONS_IMAGES"] ?? "") ?? Explanations.defaultImages
        let images = test.images(0..<count)

        func cpu() -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let (t, c) = (Date(), cpu())
        let explanations = Explanations(network: model, digits: digits, testImages: images, seed: 1, threads: threads)
        print(String(format: "the whole analysis of %d images: %.2f s, %.2f s of processor time", count, Date().timeIntervalSince(t),
                     cpu() - c))
        let f = explanations.findings
        print("method | deletion AUC (quartiles) | beats random | insertion AUC (quartiles) | beats random | "
            + "Spearman per condition | input")
        func spread(_ s: Explanations.Findings.Spread) -> String {
            String(format: "%.3f (%.3f–%.3f)", s.mean, s.lowerQuartile, s.upperQuartile)
        }
        for m in f.methods {
            print("\(m.method.rawValue) | \(spread(m.deletion)) | \(String(format: "%.1f %%", 100 * m.deletionBeatsRandom)) | "
                + "\(spread(m.insertion)) | \(String(format: "%.1f %%", 100 * m.insertionBeatsRandom)) | "
                + m.randomised.map { String(format: "%.2f", $0) }.joined(separator: ", ") + String(format: " | %.2f", m.input))
        }
        print("random | \(spread(f.randomDeletion)) | | \(spread(f.randomInsertion))")
        print(String(format: "completeness: mean |error| %.4f, mean gap %.3f (%.2f %%)", f.completenessError, f.logProbabilityGap,
                     100 * f.relativeCompletenessError))
        print("best by deletion \(f.bestByDeletion), by insertion \(f.bestByInsertion); passing \(f.passing), failing \(f.failing)")
        let file = explanations.faithfulnessFile(network: model, metadata: [:]).encoded()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in file { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        print("faithfulness.safetensors: \(file.count) bytes, FNV-1a \(String(hash, radix: 16)) on \(threads) thread(s)")
    }
}
