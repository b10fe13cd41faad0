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
        /// image is already the final model's ("3 of 6"), then per layer the mean over maps of
        /// the strongest activation.
        let cells: String
    }

    struct Part {
        let fig: String, file: String, name: String
        let first: Bool
    }

    struct Run {
        let checkpoints: [Checkpoint]
        let stepList: String
        /// The table's header and alignment rows.
        let header: String, alignment: String
        /// "Figure 23 and Figure 24".
        let figureText: String
        let parts: [Part]
        let firstName: String, lastName: String
        let firstSettledFirst: String, firstSettledLast: String
        /// The first layer's maps reach the final choice of image earlier than the last layer's.
        let lowestSettlesFirst: Bool
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
            Checkpoint(name: name, cells: (layers.indices.map { "\(c.settled[$0]) of \(layers[$0].maps)" }
                                           + c.meanScore.map { Formatted.decimal($0, 2) }).joined(separator: " | "))
        }
        let header = "| checkpoint | " + (layers.map { "\($0.name) maps settled" } + layers.map { "\($0.name) mean strongest" })
            .joined(separator: " | ") + " |"
        let alignment = "| --- |" + String(repeating: " ---: |", count: 2 * layers.count)
        context = Context(run: Run(checkpoints: checkpoints, stepList: names.joined(separator: ", "), header: header, alignment: alignment,
                                   figureText: Formatted.figures(layers.map { "evolution_\($0.name)" }),
                                   parts: layers.map { Part(fig: CrossReferences.placeholder(.figure, "evolution_\($0.name)"), file: "evolution_\($0.name)",
                                                              name: $0.name, first: $0.number == 1) },
                                   firstName: layers.first!.name, lastName: layers.last!.name,
                                   firstSettledFirst: names[findings.halfSettled.first!], firstSettledLast: names[findings.halfSettled.last!],
                                   lowestSettlesFirst: findings.lowestSettlesFirst))
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
