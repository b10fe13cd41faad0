import Foundation
import Network
import MNIST
import Testing
@testable import ReportKit

/// Each chapter's figures and context, on the fixture runs.
@Suite struct ChapterTests {
    let run = Fixture.trained

    @Test func figuresAreNamedOnceInReadingOrder() {
        let names = ReportChapters(run).figures.map(\.name)
        let digits = run.digits.flatMap { ["digit\($0.digit)_features", "digit\($0.digit)_reconstructions"] }
        #expect(names == ["class_counts", "samples", "architecture", "loss_per_epoch", "accuracy_per_epoch", "loss_per_step",
                          "confusion_matrix", "misclassified", "conv1_filters", "conv2_filters", "unpooling_example",
                          "reconstructions_overview"] + digits + ["reconstruction_modes", "top9_conv1", "top9_conv2", "evolution_conv1", "evolution_conv2",
                          "invariance_examples", "invariance_curves"] + run.digits.map { "occlusion_digit\($0.digit)" }
                          + run.digits.map { "rules_digit\($0.digit)" } + ["sanity_gradient", "sanity_deconvnet", "sanity_guided", "sanity_similarity",
                          "attributions_digits", "faithfulness_curves", "attributions_randomisation"])
    }

    /// Oriented filters are listed by direction, in the four directions' order, not one by one.
    @Test func orientedFiltersAreGroupedByDirection() {
        #expect(FiltersChapter.byDirection([(0, "falling"), (1, "horizontal"), (2, "vertical"), (4, "rising"), (5, "horizontal")])
            == "horizontal (maps 1 and 5), rising (map 4), vertical (map 2) and falling (map 0)")
        #expect(FiltersChapter.byDirection([(3, "vertical")]) == "vertical (map 3)")
        #expect(FiltersChapter.byDirection([]) == "")
    }

    @Test func loadedWeightsHaveNoTrainingFigures() {
        let chapters = ReportChapters(Fixture.loaded)
        let (training, evolution) = (chapters.chapter(TrainingChapter.self), chapters.chapter(EvolutionChapter.self))
        #expect(training.context.run == nil && training.figures.isEmpty)
        #expect(evolution.context.run == nil && evolution.figures.isEmpty)
        #expect(chapters.shared.model.loaded && !chapters.shared.model.trained)
    }

    @Test func dataCountsAddUp() {
        let context = DataChapter(run).context
        #expect(context.trainTotal == "60,000" && context.testTotal == "10,000")
        #expect(context.limited && context.trainUsed == "3,000")
        #expect(context.classes.map(\.train) == run.data.train.classCounts.map(Formatted.integer))
        #expect(context.largest == "1" && context.smallest == "5", "MNIST has most ones and fewest fives")
    }

    @Test func trainingRowsFollowTheHistory() throws {
        let context = try #require(TrainingChapter(run).context.run)
        let history = try #require(run.obtained.history)
        #expect(context.rows.map(\.epoch) == [1, 2] && context.epochs == 2)
        #expect(context.steps == Formatted.integer(2 * 47), "3,000 images in batches of 64 is 47 steps an epoch")
        let best = history.epochs.max { $0.testAccuracy < $1.testAccuracy }!
        #expect(context.bestEpoch == best.epoch && context.bestAccuracy == Formatted.percent(best.testAccuracy))
    }

    @Test func accuracyMatchesTheConfusionMatrix() throws {
        let context = AccuracyChapter(run).context
        let matrix = ConfusionMatrix(labels: run.data.test.labels, predictions: run.evaluation.predictions)
        let errors = run.evaluation.total - run.evaluation.correct
        #expect(context.errors == Formatted.integer(errors))
        #expect(context.perClass.map(\.total) == matrix.counts.map { Formatted.integer($0.reduce(0, +)) })
        let top = try #require(context.topConfusion)
        let offDiagonal = (0..<10).flatMap { t in (0..<10).filter { $0 != t }.map { matrix.counts[t][$0] } }
        #expect(top.count == offDiagonal.max() && matrix.counts[top.true][top.predicted] == top.count)
        #expect(context.misclassifiedShown == min(30, errors))
    }

    @Test func reconstructionsDescribeEachDigit() {
        let context = ReconstructionsChapter(run).context
        #expect(context.digits.map(\.digit) == [0, 1, 5, 8] && context.digits.map(\.position) == [1, 2, 3, 4])
        for (d, row) in zip(run.digits, context.responses) {
            #expect(run.data.test.labels[d.testIndex] == UInt8(d.digit) && d.predicted == d.digit && row.digit == d.digit)
            // Per layer its two strongest maps, in order of their totals.
            for (layer, cell) in zip(run.network.convolutionalLayers, row.strongest) {
                let ranked = d.response(layer).ranked
                #expect(cell.value.hasPrefix("\(ranked[0]) (") && cell.value.contains(", \(ranked[1]) ("), "\(cell.value)")
            }
        }
        // A whole map's pictures spread further than its strongest unit's, in every layer.
        #expect(context.wholeWider && context.spreads.map(\.name) == ["conv1", "conv2"])
        #expect(ReconstructionsChapter.meanSupport([[0, 1, 0, 2], [0, 0, 0, 0], [3, 0, 0, 0]]) == 0.375, "silent maps left out")
    }

    /// The accuracy's baseline: MNIST's test set has most ones.
    @Test func conclusionStatesTheMostCommonDigit() {
        let context = ConclusionChapter(run).context
        #expect(context.majorityDigit == 1 && context.majorityShare == "11.35\u{00A0}%")
    }

    @Test func reproducibilityListsEveryInputAndTheModel() {
        let context = ReproducibilityChapter(run).context
        #expect(context.checksums.count == 5 && context.checksums.last?.sum == run.modelSHA256)
        #expect(context.versions.map(\.name).first == "Swift" && !context.versions.contains { $0.name == "OpenBLAS" })
        #expect(context.runLog == "run.txt")
    }

    /// A model trained now records its machine, and the reused one reports it from there.
    @Test func trainingMachineComesFromTheModelFile() throws {
        let file = try Safetensors.read(from: run.obtained.path)
        #expect(file.metadata["machine"] == run.obtained.machine && run.obtained.machine != nil)
        #expect(TrainingChapter(run).context.run?.machine == run.obtained.machine)
    }

    /// Every figure of the report renders in all three formats.
    @Test func everyFigureRenders() throws {
        let files = try FigureFiles.render(ReportChapters(run).figures, threads: 2)
        #expect(files.files.count == 3 * files.names.count + 1 && files.files.allSatisfy { !$0.data.isEmpty })
    }
}
