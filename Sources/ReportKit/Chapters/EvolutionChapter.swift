import Analyses
import Charts
import Deconvnet
import Graphics

/// Section 10: how each map's favourite image and its projection change during training
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

    let figures: [NamedFigure]
    let tables = ["evolution"]
    let context: Context

    init(_ run: RunResults) {
        guard let evolution = run.analyses.evolution, let last = evolution.snapshots.last else {
            (figures, context) = ([], Context(run: nil))
            return
        }
        let perEpoch = (run.obtained.trainImages + (run.obtained.options?.batchSize ?? 1) - 1) / max(run.obtained.options?.batchSize ?? 1, 1)
        let names = evolution.snapshots.map { Self.name(step: $0.step, perEpoch: perEpoch) }
        figures = ConvLayer.allCases.map { layer in ("evolution_\(layer.rawValue)", Self.figure(evolution, layer, names: names)) }
        let checkpoints = zip(evolution.snapshots, names).map { snapshot, name in
            func settled(_ layer: ConvLayer) -> Int { zip(snapshot.maps(layer), last.maps(layer)).filter { $0.testIndex == $1.testIndex }.count }
            func mean(_ layer: ConvLayer) -> String {
                Formatted.decimal(Double(snapshot.maps(layer).map(\.score).reduce(0, +)) / Double(layer.maps), 2)
            }
            return Checkpoint(step: snapshot.step, name: name, settledConv1: settled(.conv1), settledConv2: settled(.conv2),
                              meanScoreConv1: mean(.conv1), meanScoreConv2: mean(.conv2))
        }
        // The first checkpoint from which every later one keeps at least half the maps settled.
        func firstHalfSettled(_ count: (Checkpoint) -> Int, maps: Int) -> Int {
            checkpoints.indices.first { i in checkpoints[i...].allSatisfy { 2 * count($0) >= maps } } ?? checkpoints.count - 1
        }
        let first1 = firstHalfSettled(\.settledConv1, maps: ConvLayer.conv1.maps), first2 = firstHalfSettled(\.settledConv2, maps: ConvLayer.conv2.maps)
        context = Context(run: Run(checkpoints: checkpoints, stepList: names.joined(separator: ", "),
                                   firstSettledConv1: names[first1], firstSettledConv2: names[first2], conv1SettlesFirst: first1 < first2))
    }

    /// "step 117 (1/8 of epoch 1)", "step 938 (epoch 1)".
    static func name(step: Int, perEpoch: Int) -> String {
        if step % perEpoch == 0 { return "step \(step) (epoch \(step / perEpoch))" }
        for d in [8, 4, 2] where step == max(perEpoch / d, 1) { return "step \(step) (1/\(d) of epoch 1)" }
        return "step \(step)"
    }

    /// Rows are maps, columns checkpoints: each cell the projection of the map's strongest
    /// activation over the test set at that checkpoint, cut to its receptive field.
    static func figure(_ evolution: FeatureEvolution, _ layer: ConvLayer, names: [String]) -> ImageGrid {
        let cells = (0..<layer.maps).flatMap { map in
            evolution.snapshots.map { ImageGrid.Cell(image: .projectionCrop($0.maps(layer)[map])) }
        }
        let short = names.map { $0.replacingOccurrences(of: " of epoch 1", with: "").replacingOccurrences(of: "step ", with: "") }
        return ImageGrid(cells: cells, columns: evolution.snapshots.count, cellSize: layer == .conv1 ? 30 : 22, gap: 4,
                         rowLabels: (0..<layer.maps).map { "map \($0)" }, columnLabels: short, labelFont: .sans(6))
    }
}
