import Charts
import Graphics
import Network
import MNIST

/// The chapter on test accuracy, per digit, the confusion matrix and the misclassified images.
struct AccuracyChapter: Chapter {
    struct Confusion {
        let `true`: Int, predicted: Int, count: Int
    }

    struct ClassRow {
        let digit: Int
        let total: String, correct: String, percent: String
    }

    /// Why a loaded model's accuracy may be implausibly low, and what to try.
    struct Implausible {
        let threshold: String, used: String, suggestion: String, suggestionMeaning: String
    }

    struct Context {
        let percent: String, correct: String, total: String, errors: String
        let loss: String
        let worstDigit: Int, worstPercent: String
        let bestDigit: Int, bestPercent: String
        let perClass: [ClassRow]
        /// The most frequent confusion; nil when there is no error.
        let topConfusion: Confusion?
        /// How many misclassified images the figure shows; nil when there are none.
        let misclassifiedShown: Int?
        /// nil unless a loaded model's accuracy is too low for a trained LeNet-5.
        let implausible: Implausible?
    }

    static let name = "accuracy"
    static let misclassifiedShown = 30

    let figures: [NamedFigure]
    let tables = ["per_class"]
    let context: Context

    init(_ run: RunResults) {
        let test = run.data.test, evaluation = run.evaluation
        let matrix = ConfusionMatrix(labels: test.labels, predictions: evaluation.predictions)
        figures = [("confusion_matrix", Self.heatMap(matrix))]
            + (evaluation.correct < evaluation.total ? [("misclassified", Self.misclassified(test, evaluation))] : [])

        let (rates, worst, best) = (matrix.classAccuracy, matrix.hardestClass, matrix.easiestClass)
        let errors = evaluation.total - evaluation.correct
        context = Context(
            percent: Formatted.percent(evaluation.accuracy), correct: Formatted.integer(evaluation.correct),
            total: Formatted.integer(evaluation.total), errors: Formatted.integer(errors),
            loss: Formatted.decimal(evaluation.loss, 4),
            worstDigit: worst, worstPercent: Formatted.percent(rates[worst]),
            bestDigit: best, bestPercent: Formatted.percent(rates[best]),
            perClass: matrix.perClass.enumerated().map { d, c in
                ClassRow(digit: d, total: Formatted.integer(c.total), correct: Formatted.integer(c.correct), percent: Formatted.percent(rates[d]))
            },
            topConfusion: matrix.mostFrequentError.map { Confusion(true: $0.label, predicted: $0.predicted, count: $0.count) },
            misclassifiedShown: errors > 0 ? min(Self.misclassifiedShown, errors) : nil,
            implausible: ImplausibleAccuracy(run.obtained, evaluation).map {
                Implausible(threshold: Formatted.percent(ImplausibleAccuracy.threshold, digits: 0), used: $0.used, suggestion: $0.suggestion,
                            suggestionMeaning: $0.suggestionMeaning)
            })
    }

    static func heatMap(_ matrix: ConfusionMatrix) -> HeatMap {
        HeatMap(values: matrix.counts, rowLabels: (0..<10).map(String.init), columnLabels: (0..<10).map(String.init),
                rowTitle: "true digit", columnTitle: "predicted digit", scaleLabel: "test images")
    }

    static func misclassified(_ test: Dataset, _ evaluation: Evaluation) -> ImageGrid {
        let wrong = test.labels.indices.filter { test.labels[$0] != evaluation.predictions[$0] }.prefix(misclassifiedShown)
        let cells = wrong.map { i in
            ImageGrid.Cell(image: .digit(test.images([i])), label: "\(test.labels[i]) → \(evaluation.predictions[i])")
        }
        return ImageGrid(cells: Array(cells), columns: 10, cellSize: 38, gap: 5)
    }
}
