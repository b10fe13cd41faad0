import Charts
import Deconvnet
import LeNet
import MNIST

/// The report's figures, built from what the run computed. Names are file names under figures/.
enum ReportFigures {
    static let smoothingWindow = 50
    static let misclassifiedShown = 30

    static func limit(_ values: [Float]) -> Float { Colormap.symmetricLimit(values) }

    static func build(data: MNIST, obtained: ObtainedModel, evaluation: Evaluation, digits: [DigitReconstruction],
                      unpooling: UnpoolingExample) -> [(name: String, figure: any Figure)] {
        var figures: [(String, any Figure)] = [
            ("class_counts", classCounts(data)),
            ("samples", samples(data.train)),
            ("architecture", architecture()),
        ]
        if let history = obtained.history, !history.epochs.isEmpty {
            figures += [("loss_per_epoch", lossPerEpoch(history)), ("accuracy_per_epoch", accuracyPerEpoch(history)),
                        ("loss_per_step", lossPerStep(history))]
        }
        figures.append(("confusion_matrix", confusion(data.test, evaluation)))
        if evaluation.correct < evaluation.total { figures.append(("misclassified", misclassified(data.test, evaluation))) }
        figures += [
            ("conv1_filters", conv1Filters(obtained.model)),
            ("conv2_filters", conv2Filters(obtained.model)),
            ("unpooling_example", unpoolingExample(unpooling)),
            ("reconstructions_overview", overview(digits)),
        ]
        for d in digits {
            figures += [("digit\(d.digit)_features", features(d)), ("digit\(d.digit)_reconstructions", reconstructions(d))]
        }
        return figures
    }

    // MARK: Data

    static func classCounts(_ data: MNIST) -> BarChart {
        BarChart(categories: (0..<10).map(String.init),
                 groups: [.init(name: "training", values: data.train.classCounts.map(Double.init)),
                          .init(name: "test", values: data.test.classCounts.map(Double.init))],
                 yLabel: "images")
    }

    static func digitImage(_ pixels: [Float]) -> PixelImage {
        Colormap.ink(maximum: 1).image(width: 28, height: 28, values: pixels)
    }

    /// The first four training images of each digit, a column per digit.
    static func samples(_ train: Dataset) -> ImageGrid {
        let perDigit = (0..<10).map { d in Array(train.labels.indices.filter { train.labels[$0] == d }.prefix(4)) }
        let blank = digitImage([Float](repeating: 0, count: 784))   // for a digit with fewer than four images
        let cells = (0..<4).flatMap { row in
            (0..<10).map { d in ImageGrid.Cell(image: row < perDigit[d].count ? digitImage(train.images([perDigit[d][row]])) : blank) }
        }
        return ImageGrid(cells: cells, columns: 10, cellSize: 38, gap: 5, columnLabels: (0..<10).map(String.init))
    }

    static func architecture() -> ArchitectureDiagram {
        ArchitectureDiagram(stages: LeNet5.layers.map { layer in
            let detail: String
            switch layer.operation {
            case "Conv2d":
                detail = "\(layer.outputShape[0])@\(layer.kernel!)×\(layer.kernel!)" + (layer.padding! > 0 ? ", pad \(layer.padding!)" : "")
            case "MaxPool2d": detail = "max \(layer.kernel!)×\(layer.kernel!)/\(layer.stride!)"
            case "Linear": detail = "\(layer.outputShape[0]) units"
            default: detail = layer.operation
            }
            return .init(name: layer.name, detail: detail, shape: layer.outputShape.map(String.init).joined(separator: "×"))
        })
    }

    // MARK: Training

    static func lossPerEpoch(_ history: TrainingHistory) -> LineChart {
        LineChart(xLabel: "epoch", yLabel: "loss (NLL)", series: [
            .init(name: "training", points: history.epochs.map { Point(Double($0.epoch), $0.trainLoss) }, markers: true),
            .init(name: "test", points: history.epochs.map { Point(Double($0.epoch), $0.testLoss) }, markers: true),
        ], integerX: true)
    }

    static func accuracyPerEpoch(_ history: TrainingHistory) -> LineChart {
        LineChart(xLabel: "epoch", yLabel: "accuracy (%)", series: [
            .init(name: "training", points: history.epochs.map { Point(Double($0.epoch), 100 * $0.trainAccuracy) }, markers: true),
            .init(name: "test", points: history.epochs.map { Point(Double($0.epoch), 100 * $0.testAccuracy) }, markers: true),
        ], integerX: true)
    }

    static func lossPerStep(_ history: TrainingHistory) -> LineChart {
        let losses = history.stepLosses.map(Double.init)
        // Every step is too many points for a 470-point-wide chart; every fourth keeps its texture.
        let raw = stride(from: 0, to: losses.count, by: 4).map { Point(Double($0 + 1), max(losses[$0], 1e-4)) }
        var smoothed: [Point] = [], sum = 0.0
        for (i, loss) in losses.enumerated() {
            sum += loss
            if i >= smoothingWindow { sum -= losses[i - smoothingWindow] }
            if i >= smoothingWindow - 1 { smoothed.append(Point(Double(i + 1), sum / Double(smoothingWindow))) }
        }
        return LineChart(xLabel: "training step", yLabel: "loss (NLL)", series: [
            .init(name: "each step", points: raw, color: Color(hex: 0x9EC5E8)),
            .init(name: "moving average of \(smoothingWindow)", points: smoothed, color: Color.series[0]),
        ], logY: true)
    }

    // MARK: Accuracy

    static func confusion(_ test: Dataset, _ evaluation: Evaluation) -> HeatMap {
        HeatMap(values: confusionMatrix(labels: test.labels, predictions: evaluation.predictions),
                rowLabels: (0..<10).map(String.init), columnLabels: (0..<10).map(String.init),
                rowTitle: "true digit", columnTitle: "predicted digit")
    }

    static func misclassified(_ test: Dataset, _ evaluation: Evaluation) -> ImageGrid {
        let wrong = test.labels.indices.filter { test.labels[$0] != evaluation.predictions[$0] }.prefix(misclassifiedShown)
        let cells = wrong.map { i in
            ImageGrid.Cell(image: digitImage(test.images([i])), label: "\(test.labels[i]) → \(evaluation.predictions[i])")
        }
        return ImageGrid(cells: Array(cells), columns: 10, cellSize: 38, gap: 5)
    }

    // MARK: Filters

    static func conv1Filters(_ model: LeNet5) -> ImageGrid {
        let weights = model.conv1Filters, map = Colormap.diverging(limit: limit(weights))
        let cells = (0..<6).map { f in
            ImageGrid.Cell(image: map.image(width: 5, height: 5, values: Array(weights[(f * 25)..<((f + 1) * 25)])), label: "filter \(f)")
        }
        return ImageGrid(cells: cells, columns: 6, cellSize: 56, gap: 12)
    }

    /// A column per output map, a row per input map: wide rather than tall, to fit the page.
    static func conv2Filters(_ model: LeNet5) -> ImageGrid {
        let weights = model.conv2Filters, map = Colormap.diverging(limit: limit(weights))
        let cells = (0..<6).flatMap { input in
            (0..<16).map { output in
                let start = (output * 6 + input) * 25
                return ImageGrid.Cell(image: map.image(width: 5, height: 5, values: Array(weights[start..<(start + 25)])))
            }
        }
        return ImageGrid(cells: cells, columns: 16, cellSize: 23, gap: 3.5,
                         rowLabels: (0..<6).map { "in \($0)" }, columnLabels: (0..<16).map { "out \($0)" }, labelFont: .sans(6))
    }

    // MARK: Deconvnet

    static func unpoolingExample(_ e: UnpoolingExample) -> NumberGrids {
        NumberGrids(panels: [
            .init(title: "conv1 map \(e.map) after ReLU", rows: 4, columns: 4, values: e.patch, highlighted: e.switches, windowSize: 2),
            .init(title: "pooled (2×2 max)", rows: 2, columns: 2, values: e.pooled, highlighted: Set(0..<4)),
            .init(title: "unpooled with the switches", rows: 4, columns: 4, values: e.unpooled, highlighted: e.switches, windowSize: 2),
        ], arrows: ["max-pool", "unpool"])
    }

    /// Signed, around 0, with limits at the 99th percentile of the non-zero magnitudes: a few
    /// extreme pixels would otherwise wash out the rest. Values beyond the limits saturate.
    static func reconstructionImage(_ values: [Float]) -> PixelImage {
        Colormap.diverging(limit: percentileLimit(values)).image(width: 28, height: 28, values: values)
    }

    static func percentileLimit(_ values: [Float], percentile: Double = 0.99) -> Float {
        let magnitudes = values.map(abs).filter { $0 > 0 }.sorted()
        guard !magnitudes.isEmpty else { return 1 }
        return magnitudes[min(magnitudes.count - 1, Int(percentile * Double(magnitudes.count)))]
    }

    static func overview(_ digits: [DigitReconstruction]) -> ImageGrid {
        let cells = digits.flatMap { d in
            [ImageGrid.Cell(image: digitImage(d.input))] + (d.conv1 + d.conv2).map { ImageGrid.Cell(image: reconstructionImage($0)) }
        }
        let columns = ["in"] + (0..<6).map { "1·\($0)" } + (0..<16).map { "2·\($0)" }
        return ImageGrid(cells: cells, columns: 23, cellSize: 17, gap: 2.5, rowLabels: digits.map { "digit \($0.digit)" },
                         columnLabels: columns, labelFont: .sans(5.5))
    }

    static func features(_ d: DigitReconstruction) -> Stack {
        let pool1 = LeNet5.pool1, pool2 = LeNet5.pool2
        let map1 = Colormap.viridis(minimum: 0, maximum: d.activations.pool1.max() ?? 1)
        let map2 = Colormap.viridis(minimum: 0, maximum: d.activations.pool2.max() ?? 1)
        let plane1 = pool1.outputHeight * pool1.outputWidth, plane2 = pool2.outputHeight * pool2.outputWidth
        let top = [ImageGrid.Cell(image: digitImage(d.input), label: "input")] + (0..<pool1.channels).map { m in
            ImageGrid.Cell(image: map1.image(width: pool1.outputWidth, height: pool1.outputHeight,
                                             values: Array(d.activations.pool1[(m * plane1)..<((m + 1) * plane1)])), label: "pool1 · \(m)")
        }
        let bottom = (0..<pool2.channels).map { m in
            ImageGrid.Cell(image: map2.image(width: pool2.outputWidth, height: pool2.outputHeight,
                                             values: Array(d.activations.pool2[(m * plane2)..<((m + 1) * plane2)])), label: "pool2 · \(m)")
        }
        return Stack([ImageGrid(cells: top, columns: 7, cellSize: 50, gap: 8), ImageGrid(cells: bottom, columns: 8, cellSize: 42, gap: 8)])
    }

    static func reconstructions(_ d: DigitReconstruction) -> Stack {
        let conv1 = d.conv1.enumerated().map { ImageGrid.Cell(image: reconstructionImage($1), label: "conv1 · \($0)") }
        let conv2 = d.conv2.enumerated().map { ImageGrid.Cell(image: reconstructionImage($1), label: "conv2 · \($0)") }
        return Stack([ImageGrid(cells: conv1, columns: 6, cellSize: 60, gap: 10), ImageGrid(cells: conv2, columns: 8, cellSize: 48, gap: 8)])
    }
}
