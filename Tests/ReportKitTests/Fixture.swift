import Foundation
import Network
@testable import ReportKit

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Small runs of the real pipeline: two epochs on the first 3,000 training images (about a second),
/// then the same model loaded as `--weights`, which has no training history, and loaded with an
/// input normalisation it was not trained with, which makes its accuracy implausible.
enum Fixture {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reportkit-fixture-\(UUID())").path

    static func options(weights: String? = nil, digits: [Int] = [0, 1, 5, 8], normalization: InputNormalization? = nil) -> ReportOptions {
        var options = ReportOptions()
        options.data = repository.appendingPathComponent("Data").path
        options.templates = repository.appendingPathComponent("Templates").path
        options.output = folder
        options.trainLimit = 3000
        options.training.epochs = 2
        options.weights = weights
        options.digits = digits
        options.normalization = normalization
        return options
    }

    static let trained: RunResults = results(options())
    static let loaded: RunResults = results(options(weights: trained.obtained.path))
    static let normalized: RunResults = results(options(weights: trained.obtained.path, normalization: .init(mean: 0.1307, std: 0.3081)))

    /// The trained fixture's model (reused, not trained again) shown through other digits.
    static func trained(digits: [Int]) -> RunResults {
        _ = trained
        return results(options(digits: digits))
    }

    private static func results(_ options: ReportOptions) -> RunResults {
        var stages = Stages(output: options.output)
        do { return try ReportPipeline(options: options).compute(&stages, folder: options.output) } catch { fatalError("the fixture run failed: \(error)") }
    }
}
