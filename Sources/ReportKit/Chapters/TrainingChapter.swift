import Analyses
import Charts
import Foundation
import Graphics
import Network

/// The chapter on how the model was trained, with its curves.
struct TrainingChapter: Chapter {
    struct EpochRow {
        let epoch: Int
        let trainLoss: String, trainAccuracy: String
        let testLoss: String, testAccuracy: String
        let seconds: String
    }

    /// A rise of the test loss from one epoch to the next, and the learning rate's share of its
    /// initial value at that epoch's end.
    struct Rise {
        let epoch: Int, before: String, after: String
        let recoveredAt: String?
        let rate: String
    }

    /// The reading of the curves (`TrainingCurves`).
    struct Reading {
        let finalTrain: String, finalTest: String, gap: String, gapIsSmall: Bool
        let lossRatio: String
        let rises: [Rise]
        let endsNearLowest: Bool, lowest: String, lowestEpoch: Int, nearLowest: String
    }

    struct Run {
        let optimizerName: String
        let adam: Bool
        let learningRate: String
        let scheduleText: String
        let batchSize: Int, epochs: Int, seed: UInt64
        let stepsPerEpoch: String, steps: String
        let smoothing: Int
        /// "fourth": which steps the loss chart draws one by one.
        let drawnEvery: String
        let trainImages: String
        let secondsText: String
        let imagesPerSecond: String
        /// Where it was trained, from the model file: a fact of the training run, not of this one.
        let machine: String
        let bestAccuracy: String, bestEpoch: Int
        let rows: [EpochRow]
        let reading: Reading
    }

    static let name = "training"
    static let smoothingWindow = 50
    /// Every step is too many points for a 470-point-wide chart; every fourth keeps its texture.
    static let drawnEvery = 4

    let figures: [NamedFigure]
    let tables = ["hyperparameters", "epochs"]
    struct Context {
        /// nil when there is no history (weights loaded from elsewhere).
        let run: Run?
    }

    let context: Context

    init(_ run: RunResults) {
        let obtained = run.obtained
        guard let options = obtained.options, let history = obtained.history, let best = history.bestEpoch else {
            (figures, context) = ([], Context(run: nil))
            return
        }
        figures = [("loss_per_epoch", Self.lossPerEpoch(history)), ("accuracy_per_epoch", Self.accuracyPerEpoch(history)),
                   ("loss_per_step", Self.lossPerStep(history))]
        let seconds = history.epochs.reduce(0) { $0 + $1.seconds }
        context = Context(run: Run(
            optimizerName: options.optimizer == .adam ? "Adam" : "SGD with momentum 0.9", adam: options.optimizer == .adam,
            learningRate: "\(options.learningRate)",
            scheduleText: options.schedule == .cosine ? "decayed to 0 along a cosine over the run" : "constant",
            batchSize: options.batchSize, epochs: options.epochs, seed: options.seed,
            stepsPerEpoch: Formatted.integer(history.stepLosses.count / max(options.epochs, 1)),
            steps: Formatted.integer(history.stepLosses.count),
            smoothing: Self.smoothingWindow, drawnEvery: Formatted.ordinal(Self.drawnEvery),
            trainImages: Formatted.integer(obtained.trainImages),
            secondsText: Formatted.seconds(seconds),
            imagesPerSecond: Formatted.integer(Int(Double(obtained.trainImages * options.epochs) / max(seconds, 1e-9))),
            machine: obtained.machine ?? "a machine its model file does not record",
            bestAccuracy: Formatted.percent(best.testAccuracy), bestEpoch: best.epoch,
            rows: history.epochs.map { e in
                EpochRow(epoch: e.epoch, trainLoss: Formatted.decimal(e.trainLoss, 4), trainAccuracy: Formatted.percent(e.trainAccuracy),
                         testLoss: Formatted.decimal(e.testLoss, 4), testAccuracy: Formatted.percent(e.testAccuracy),
                         seconds: Formatted.decimal(e.seconds, 1))
            },
            reading: Self.reading(TrainingCurves(history.epochs), options: options)))
    }

    static func reading(_ curves: TrainingCurves, options: TrainingOptions) -> Reading {
        // The cosine schedule's rate at the end of epoch e of E: ½ (1 + cos(π e / E)) of the first.
        let rate = { (epoch: Int) in
            options.schedule == .cosine ? 0.5 * (1 + cos(Double.pi * Double(epoch) / Double(max(options.epochs, 1)))) : 1
        }
        return Reading(
            finalTrain: Formatted.percent(curves.final.trainAccuracy), finalTest: Formatted.percent(curves.final.testAccuracy),
            gap: Formatted.decimal(curves.gap, 2), gapIsSmall: curves.gapIsSmall,
            lossRatio: Formatted.decimal(curves.final.testLoss / max(curves.final.trainLoss, 1e-12), 1),
            rises: curves.rises.map { r in
                Rise(epoch: r.epoch, before: Formatted.decimal(r.before, 4), after: Formatted.decimal(r.after, 4),
                     recoveredAt: r.recoveredAt.map(String.init), rate: Formatted.percent(rate(r.epoch), digits: 0))
            },
            endsNearLowest: curves.endsNearLowest, lowest: Formatted.decimal(curves.lowest.testLoss, 4), lowestEpoch: curves.lowest.epoch,
            nearLowest: Formatted.percent(TrainingCurves.nearLowestAt, digits: 0))
    }

    static func lossPerEpoch(_ history: TrainingHistory) -> LineChart {
        LineChart(xLabel: "epoch", yLabel: "loss (NLL)", series: [
            .init(name: "training", points: history.epochs.map { Point(Double($0.epoch), $0.trainLoss) }, markers: true),
            .init(name: "test", points: history.epochs.map { Point(Double($0.epoch), $0.testLoss) }, markers: true),
        ], x: AxisOptions(values: .integer))
    }

    static func accuracyPerEpoch(_ history: TrainingHistory) -> LineChart {
        LineChart(xLabel: "epoch", yLabel: "accuracy (%)", series: [
            .init(name: "training", points: history.epochs.map { Point(Double($0.epoch), 100 * $0.trainAccuracy) }, markers: true),
            .init(name: "test", points: history.epochs.map { Point(Double($0.epoch), 100 * $0.testAccuracy) }, markers: true),
        ], x: AxisOptions(values: .integer))
    }

    static func lossPerStep(_ history: TrainingHistory) -> LineChart {
        let losses = history.stepLosses.map(Double.init)
        let raw = stride(from: 0, to: losses.count, by: drawnEvery).map { Point(Double($0 + 1), max(losses[$0], 1e-4)) }
        var smoothed: [Point] = [], sum = 0.0
        for (i, loss) in losses.enumerated() {
            sum += loss
            if i >= smoothingWindow { sum -= losses[i - smoothingWindow] }
            if i >= smoothingWindow - 1 { smoothed.append(Point(Double(i + 1), sum / Double(smoothingWindow))) }
        }
        return LineChart(xLabel: "training step", yLabel: "loss (NLL)", series: [
            .init(name: "each step", points: raw, color: Color(hex: 0x9EC5E8)),
            .init(name: "moving average of \(smoothingWindow)", points: smoothed, color: Color.series[0]),
        ], y: AxisOptions(logarithmic: true))
    }
}
