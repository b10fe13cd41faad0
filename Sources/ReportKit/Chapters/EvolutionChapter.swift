import Analyses
import Charts
import Deconvnet
import Graphics
import MNIST
import Network
import Writeup

/// The chapter on how each map's favourite image and its projection change during training
/// (Zeiler & Fergus, Fig. 4), from the checkpoints the training run saved.
struct EvolutionChapter: Chapter {
    struct Checkpoint {
        let name: String
        /// The table row after the checkpoint's name: per layer, the maps whose strongest test
        /// image is already the final model's and the near-ties ("3 of 6", "3 + 1 of 6"), then per
        /// layer the mean over maps of the strongest activation, then per layer the filters' mean
        /// (minimum) cosine to the final ones.
        let cells: String
    }

    struct Part {
        let fig: String, file: String, name: String
        let first: Bool
    }

    struct Run {
        let checkpoints: [Checkpoint]
        /// The table's header and alignment rows.
        let header: String, alignment: String
        /// "Figure 23 and Figure 24".
        let figureText: String
        let parts: [Part]
        /// A var so that a test can set it from synthetic findings.
        var settling: Settling
    }

    /// When the first and the last layer settle by each measure, and the sentence that follows.
    struct Settling {
        let firstName: String, lastName: String
        /// The checkpoint from which a layer has settled; nil when none before the final model.
        let imagesFirst: String?, imagesLast: String?, filtersFirst: String?, filtersLast: String?
        /// "1 %", "0.95".
        let tolerance: String, threshold: String
        /// The learning rate decays to 0 at the last step.
        let cosineSchedule: Bool
        /// Exactly one holds: `Findings.Order`.
        let lowerFirst: Bool, notLowerFirst: Bool, disagree: Bool
        let filtersSayLowerFirst: Bool
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
        let network = run.network, layers = network.convolutionalLayers
        let perEpoch = options.stepsPerEpoch(images: run.obtained.trainImages)
        let names = evolution.snapshots.map { Self.checkpointName(step: $0.step, perEpoch: perEpoch) }
        figures = layers.map { layer in
            ("evolution_\(layer.name)", Self.figure(evolution, layer, names: names, test: run.data.test, network: network))
        }
        let findings = evolution.findings
        let checkpoints = zip(findings.checkpoints, names).map { c, name in
            // No-break spaces: "2 + 1 of 16" on one line, however narrow the column.
            let settled = layers.indices.map {
                "\(c.settled[$0])\(c.nearTies[$0] > 0 ? "\u{00A0}+\u{00A0}\(c.nearTies[$0])" : "")\u{00A0}of\u{00A0}\(layers[$0].maps)"
            }
            let cosines = layers.indices.map { "\(Formatted.decimal(c.meanCosine[$0], 3)) (\(Formatted.decimal(c.minCosine[$0], 3)))" }
            return Checkpoint(name: name, cells: (settled + c.meanScore.map { Formatted.decimal($0, 2) } + cosines).joined(separator: " | "))
        }
        let header = "| checkpoint | " + (layers.map { "\($0.name) maps settled" } + layers.map { "\($0.name) mean strongest" }
                                         + layers.map { "\($0.name) filter cosine" }).joined(separator: " | ") + " |"
        let alignment = "| --- |" + String(repeating: " ---: |", count: 3 * layers.count)
        context = Context(run: Run(checkpoints: checkpoints, header: header, alignment: alignment,
                                   figureText: Formatted.figures(layers.map { "evolution_\($0.name)" }),
                                   parts: layers.map { Part(fig: CrossReferences.placeholder(.figure, "evolution_\($0.name)"), file: "evolution_\($0.name)",
                                                              name: $0.name, first: $0.number == 1) },
                                   settling: Self.settling(findings, names: names, layers: layers, schedule: options.schedule)))
    }

    /// The settling paragraph's values: `names` are the checkpoints'.
    static func settling(_ findings: FeatureEvolution.Findings, names: [String], layers: [ConvolutionalLayer],
                         schedule: LearningRateSchedule) -> Settling {
        let (images, filters) = (findings.imagesSettle.map { $0.map { names[$0] } }, findings.filtersSettle.map { $0.map { names[$0] } })
        return Settling(firstName: layers.first!.name, lastName: layers.last!.name,
                        imagesFirst: images.first!, imagesLast: images.last!, filtersFirst: filters.first!, filtersLast: filters.last!,
                        tolerance: Formatted.percent(FeatureEvolution.Findings.tieTolerance, digits: 0),
                        threshold: Formatted.decimal(FeatureEvolution.Findings.cosineThreshold, 2),
                        cosineSchedule: schedule == .cosine, lowerFirst: findings.order == .lowerFirst,
                        notLowerFirst: findings.order == .notLowerFirst, disagree: findings.order == .disagree,
                        filtersSayLowerFirst: findings.filtersSayLowerFirst)
    }

    /// "step 117 (1/8 of epoch 1)", "step 938 (epoch 1)".
    static func checkpointName(step: Int, perEpoch: Int) -> String {
        if step % perEpoch == 0 { return "step \(step) (epoch \(step / perEpoch))" }
        for d in [8, 4, 2] where step == max(perEpoch / d, 1) { return "step \(step) (1/\(d) of epoch 1)" }
        return "step \(step)"
    }

    /// Rows are maps, columns checkpoints: each cell the projection of the map's strongest
    /// activation over the test set at that checkpoint, cut to its receptive field.
    static func figure(_ evolution: FeatureEvolution, _ layer: ConvolutionalLayer, names: [String], test: Dataset, network: Network) -> Keyed {
        let last = evolution.snapshots.last!
        let cells = (0..<layer.maps).flatMap { map in
            evolution.snapshots.map { ImageGrid.Cell(image: .projectionCrop($0.maps(layer)[map], network: network)) }
                + [ImageGrid.Cell(image: .inputCrop(last.maps(layer)[map], image: test.images([last.maps(layer)[map].testIndex]), network: network))]
        }
        // "step 117 (1/8 of epoch 1)" on two lines: "117" over "(1/8)".
        let short = names.map { $0.replacingOccurrences(of: " of epoch 1", with: "").replacingOccurrences(of: "step ", with: "")
            .replacingOccurrences(of: " (", with: "\n(") } + ["input\n(last)"]
        return ImageGrid(cells: cells, columns: evolution.snapshots.count + 1, cellSize: layer.number == 1 ? 34 : 24, gap: 4,
                         rowLabels: (0..<layer.maps).map { "map \($0)" }, columnLabels: short, columnTitle: "optimizer step")
            .withColorBar(.perPanel(), side: .bottom)
    }
}
