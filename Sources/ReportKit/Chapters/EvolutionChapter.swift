import Analyses
import Charts
import Deconvnet
import Graphics
import MNIST

/// The chapter on how each map's favourite image and its projection change during training
/// (Zeiler & Fergus, Fig. 4), from the checkpoints the training run saved.
struct EvolutionChapter: Chapter {
    struct Checkpoint {
        let step: Int
        let name: String
        /// Maps whose strongest test image is already the final model's.
        let settledConv1: Int, settledConv2: Int
        /// The mean over maps of the strongest pooled activation.
        let meanScoreConv1: String, meanScoreConv2: String
    }

    struct Run {
        let conv1Maps: Int, conv2Maps: Int
        let checkpoints: [Checkpoint]
        let stepList: String
        let firstSettledConv1: String, firstSettledConv2: String
        /// conv1's maps reach the final choice of image earlier than conv2's.
        let conv1SettlesFirst: Bool
    }

    struct Context {
        /// nil when the weights were loaded: there are no checkpoints.
        let run: Run?
    }

    static let name = "evolution"
    let figures: [NamedFigure]
    let tables = ["evolution"]
    let context: Context

    init(_ run: RunResults) {
        guard let evolution = run.analyses.evolution, let options = run.obtained.options else {
            (figures, context) = ([], Context(run: nil))
            return
        }
        let perEpoch = options.stepsPerEpoch(images: run.obtained.trainImages)
        let names = evolution.snapshots.map { Self.checkpointName(step: $0.step, perEpoch: perEpoch) }
        figures = ConvLayer.allCases.map { layer in ("evolution_\(layer.rawValue)", Self.figure(evolution, layer, names: names, test: run.data.test)) }
        let findings = evolution.findings
        let checkpoints = zip(findings.checkpoints, names).map { c, name in
            Checkpoint(step: c.step, name: name, settledConv1: c.settledConv1, settledConv2: c.settledConv2,
                       meanScoreConv1: Formatted.decimal(c.meanScoreConv1, 2), meanScoreConv2: Formatted.decimal(c.meanScoreConv2, 2))
        }
        context = Context(run: Run(conv1Maps: ConvLayer.conv1.maps, conv2Maps: ConvLayer.conv2.maps, checkpoints: checkpoints,
                                   stepList: names.joined(separator: ", "), firstSettledConv1: names[findings.halfSettledConv1],
                                   firstSettledConv2: names[findings.halfSettledConv2], conv1SettlesFirst: findings.conv1SettlesFirst))
    }

    /// "step 117 (1/8 of epoch 1)", "step 938 (epoch 1)".
    static func checkpointName(step: Int, perEpoch: Int) -> String {
        if step % perEpoch == 0 { return "step \(step) (epoch \(step / perEpoch))" }
        for d in [8, 4, 2] where step == max(perEpoch / d, 1) { return "step \(step) (1/\(d) of epoch 1)" }
        return "step \(step)"
    }

    /// Rows are maps, columns checkpoints: each cell the projection of the map's strongest
    /// activation over the test set at that checkpoint, cut to its receptive field.
    static func figure(_ evolution: FeatureEvolution, _ layer: ConvLayer, names: [String], test: Dataset) -> Keyed {
        let last = evolution.snapshots.last!
        let cells = (0..<layer.maps).flatMap { map in
            evolution.snapshots.map { ImageGrid.Cell(image: .projectionCrop($0.maps(layer)[map])) }
                + [ImageGrid.Cell(image: .inputCrop(last.maps(layer)[map], image: test.images([last.maps(layer)[map].testIndex])))]
        }
        // "step 117 (1/8 of epoch 1)" on two lines: "117" over "(1/8)".
        let short = names.map { $0.replacingOccurrences(of: " of epoch 1", with: "").replacingOccurrences(of: "step ", with: "")
            .replacingOccurrences(of: " (", with: "\n(") } + ["input\n(last)"]
        return ImageGrid(cells: cells, columns: evolution.snapshots.count + 1, cellSize: layer == .conv1 ? 34 : 24, gap: 4,
                         rowLabels: (0..<layer.maps).map { "map \($0)" }, columnLabels: short, columnTitle: "optimizer step")
            .withColorBar(.perPanel(), side: .bottom)
    }
}
