import Charts
import Graphics
import MNIST

/// The chapter on the data set, its class balance and some samples.
struct DataChapter: Chapter {
    struct ClassRow {
        let digit: Int
        let train: String, test: String
        let trainShare: String, testShare: String
    }

    struct Context {
        let folder: String
        let verified: Bool
        let trainTotal: String, testTotal: String
        let limited: Bool
        let trainUsed: String
        let classes: [ClassRow]
        let largest: String, smallest: String
        let largestRatio: String
        let samplesPerDigit: String
    }

    static let name = "data"
    /// How many training images of each digit the samples figure shows.
    static let samplesPerDigit = 4

    let figures: [NamedFigure]
    let tables = ["class_counts"]
    let context: Context

    init(_ run: RunResults) {
        let data = run.data
        figures = [("class_counts", Self.classCounts(data)), ("samples", Self.samples(data.train))]
        let train = data.train.classCounts, test = data.test.classCounts
        let (trainTotal, testTotal) = (data.train.count, data.test.count)
        let largest = data.train.largestClass, smallest = data.train.smallestClass
        context = Context(
            folder: run.dataFolder, verified: data.verified.count == data.checksums.count,
            trainTotal: Formatted.integer(trainTotal), testTotal: Formatted.integer(testTotal),
            limited: run.train.count < trainTotal, trainUsed: Formatted.integer(run.train.count),
            classes: (0..<10).map { d in
                ClassRow(digit: d, train: Formatted.integer(train[d]), test: Formatted.integer(test[d]),
                         trainShare: Formatted.percent(Double(train[d]) / Double(trainTotal), digits: 1),
                         testShare: Formatted.percent(Double(test[d]) / Double(testTotal), digits: 1))
            },
            largest: "\(largest)", smallest: "\(smallest)",
            largestRatio: Formatted.decimal(Double(train[largest]) / Double(train[smallest]), 2),
            samplesPerDigit: Formatted.count(Self.samplesPerDigit))
    }

    static func classCounts(_ data: MNIST) -> BarChart {
        BarChart(categories: (0..<10).map(String.init),
                 groups: [.init(name: "training", values: data.train.classCounts.map(Double.init)),
                          .init(name: "test", values: data.test.classCounts.map(Double.init))],
                 xLabel: "digit", yLabel: "images")
    }

    /// The first training images of each digit, a column per digit.
    static func samples(_ train: Dataset) -> ImageGrid {
        let perDigit = (0..<10).map { d in Array(train.labels.indices.filter { train.labels[$0] == d }.prefix(samplesPerDigit)) }
        let blank = PixelImage.digit([Float](repeating: 0, count: 784))   // for a digit with fewer images
        let cells = (0..<samplesPerDigit).flatMap { row in
            (0..<10).map { d in ImageGrid.Cell(image: row < perDigit[d].count ? .digit(train.images([perDigit[d][row]])) : blank) }
        }
        return ImageGrid(cells: cells, columns: 10, cellSize: 38, gap: 5, columnLabels: (0..<10).map(String.init))
    }
}
