import Charts
import Graphics
import Network
@testable import ReportKit

/// The report's own figures, built by its chapters from the fixture run.
enum Sample: String, CaseIterable, Sendable {
    case lossPerEpoch, accuracyPerEpoch, lossPerStep, classCounts, confusion, architecture, pooling
    case digits, misclassified, conv1Filters, conv2Filters, reconstructions

    var figure: any Figure {
        switch self {
        case .lossPerEpoch: Samples.lossPerEpoch
        case .accuracyPerEpoch: Samples.accuracyPerEpoch
        case .lossPerStep: Samples.lossPerStep
        case .classCounts: Samples.classCounts
        case .confusion: Samples.confusion
        case .architecture: Samples.architecture
        case .pooling: Samples.pooling
        case .digits: Samples.digits
        case .misclassified: Samples.misclassified
        case .conv1Filters: Samples.conv1Filters
        case .conv2Filters: Samples.conv2Filters
        case .reconstructions: Samples.reconstructions
        }
    }
}

enum Samples {
    static var run: RunResults { Fixture.trained }
    static var history: TrainingHistory { run.obtained.history! }

    static var lossPerEpoch: LineChart { TrainingChapter.lossPerEpoch(history) }
    static var accuracyPerEpoch: LineChart { TrainingChapter.accuracyPerEpoch(history) }
    static var lossPerStep: LineChart { TrainingChapter.lossPerStep(history) }
    static var classCounts: BarChart { DataChapter.classCounts(run.data) }
    static var confusion: HeatMap { AccuracyChapter.heatMap(ConfusionMatrix(labels: run.data.test.labels, predictions: run.evaluation.predictions)) }
    static var architecture: ArchitectureDiagram { ArchitectureChapter.diagram(run.network) }
    static var pooling: NumberGrids { DeconvnetChapter.unpooling(run.unpooling!) }
    static var digits: ImageGrid { DataChapter.samples(run.train) }
    static var misclassified: ImageGrid { AccuracyChapter.misclassified(run.data.test, run.evaluation) }
    static var conv1Filters: Keyed { FiltersChapter.firstFilters(run.network, run.network.convolutionalLayers[0]) }
    static var conv2Filters: Keyed {
        let layer = run.network.convolutionalLayers[1]
        return FiltersChapter.slices(run.network, layer, source: "conv1", inputs: 0..<6, outputs: 0..<16)
    }
    static var reconstructions: Keyed { ReconstructionsChapter.overview(run.digits, part: MapPart.parts(run.network)[0]) }
}
