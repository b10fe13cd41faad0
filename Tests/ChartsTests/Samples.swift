import Foundation
@testable import Charts

/// Figures of every kind with data shaped like the report's: loss and accuracy per epoch, 9,380
/// noisy training steps, MNIST class counts, a confusion matrix, digits, filters, a pooling example.
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
    /// SplitMix64, so that every run draws the same "random" data.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let epochs = (1...10).map(Double.init)

    static var lossPerEpoch: LineChart {
        let train = epochs.map { Point($0, 0.01 + 0.24 * exp(-($0 - 1) / 2)) }
        let test = epochs.map { Point($0, 0.03 + 0.05 * exp(-($0 - 1) / 1.5) + 0.004 * sin($0)) }
        return LineChart(title: "Loss per epoch", xLabel: "epoch", yLabel: "cross-entropy loss", series: [
            .init(name: "training", points: train, markers: true),
            .init(name: "test", points: test, dashed: true, markers: true),
        ], integerX: true)
    }

    static var accuracyPerEpoch: LineChart {
        let train = epochs.map { Point($0, 99.7 - 7.7 * exp(-($0 - 1) / 1.5)) }
        let test = epochs.map { Point($0, 99.1 - 1.6 * exp(-($0 - 1) / 2)) }
        return LineChart(xLabel: "epoch", yLabel: "accuracy (%)", series: [
            .init(name: "training", points: train, markers: true),
            .init(name: "test", points: test, dashed: true, markers: true),
        ], integerX: true)
    }

    static var lossPerStep: LineChart {
        var random = Generator(state: 1)
        let steps = (0..<9380).map { step -> Point in
            let mean = 0.01 + 2.29 * exp(-Double(step) / 400)
            return Point(Double(step), mean * exp(Double.random(in: -0.8...0.8, using: &random)))
        }
        var smoothed: [Point] = [], average = steps[0].y
        for p in steps {
            average = 0.98 * average + 0.02 * p.y
            smoothed.append(Point(p.x, average))
        }
        return LineChart(xLabel: "training step (batch of 64)", yLabel: "loss", series: [
            .init(name: "per batch", points: steps, color: Color.series[0].mixed(with: .white, 0.5)),
            .init(name: "moving average", points: smoothed, color: Color.series[0], lineWidth: 1.4),
        ], logY: true)
    }

    static var classCounts: BarChart {
        BarChart(title: "MNIST images per digit", categories: (0...9).map(String.init), groups: [
            .init(name: "training (60,000)", values: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]),
            .init(name: "test (10,000)", values: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]),
        ], xLabel: "digit", yLabel: "images")
    }

    static var confusion: HeatMap {
        let totals = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
        var random = Generator(state: 2)
        var values = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for row in 0..<10 {
            var remaining = totals[row]
            for _ in 0..<3 {
                let column = Int.random(in: 0..<10, using: &random)
                guard column != row else { continue }
                let errors = Int.random(in: 1...6, using: &random)
                values[row][column] += errors
                remaining -= errors
            }
            values[row][row] = remaining
        }
        let digits = (0...9).map(String.init)
        return HeatMap(values: values, rowLabels: digits, columnLabels: digits, rowTitle: "true digit", columnTitle: "predicted digit")
    }

    static var architecture: ArchitectureDiagram {
        let stages = [("input", "", "1×28×28"), ("conv1", "6@5×5, pad 2", "6×28×28"), ("relu", "", "6×28×28"),
                      ("pool1", "max 2×2", "6×14×14"), ("conv2", "16@5×5", "16×10×10"), ("relu", "", "16×10×10"),
                      ("pool2", "max 2×2", "16×5×5"), ("flatten", "", "400"), ("fc1", "400→120", "120"), ("relu", "", "120"),
                      ("fc2", "120→84", "84"), ("relu", "", "84"), ("fc3", "84→10", "10"), ("log_softmax", "", "10")]
        return ArchitectureDiagram(stages: stages.map { ArchitectureDiagram.Stage(name: $0.0, detail: $0.1, shape: $0.2) })
    }

    static var pooling: NumberGrids {
        let input: [Float] = [0.12, 0.85, 0, 0.31,
                              0.47, 0.33, 1.20, 0.05,
                              0, 0.18, 0.44, 0.61,
                              0.92, 0.27, 0.09, 0.58]
        return NumberGrids(panels: [
            .init(title: "conv1 activations", rows: 4, columns: 4, values: input, highlighted: [1, 6, 12, 11],
                  caption: "2×2 windows", windowSize: 2),
            .init(title: "pooled", rows: 2, columns: 2, values: [0.85, 1.20, 0.92, 0.61], caption: "maxima"),
            .init(title: "unpooled", rows: 4, columns: 4, values: [0, 0.85, 0, 0, 0, 0, 1.20, 0, 0, 0, 0, 0.61, 0.92, 0, 0, 0],
                  highlighted: [1, 6, 12, 11], caption: "back at the switches", windowSize: 2),
        ], arrows: ["max pool 2×2", "unpool with switches"])
    }

    /// A 28 × 28 "digit": a few soft strokes of ink at random places.
    static func blob(_ random: inout Generator) -> PixelImage {
        let centres = (0..<3).map { _ in (Double.random(in: 8...20, using: &random), Double.random(in: 6...22, using: &random)) }
        let values = (0..<28 * 28).map { i -> Float in
            let (y, x) = (Double(i / 28), Double(i % 28))
            return Float(centres.map { exp(-(pow(x - $0.0, 2) + pow(y - $0.1, 2)) / 12) }.reduce(0, +))
        }
        return Colormap.ink(maximum: 1).image(width: 28, height: 28, values: values)
    }

    /// An `n × n` filter of signed weights, coloured blue–white–red.
    static func filter(_ n: Int, _ random: inout Generator) -> PixelImage {
        let weights = (0..<n * n).map { _ in Float.random(in: -0.4...0.4, using: &random) }
        return Colormap.diverging(limit: Colormap.symmetricLimit(weights)).image(width: n, height: n, values: weights)
    }

    static var digits: ImageGrid {
        var random = Generator(state: 3)
        return ImageGrid(cells: (0..<40).map { ImageGrid.Cell(image: blob(&random), label: String($0 % 10)) }, columns: 10, cellSize: 36)
    }

    static var misclassified: ImageGrid {
        var random = Generator(state: 4)
        let cells = (0..<12).map { i in
            ImageGrid.Cell(image: blob(&random), label: "true \(i % 10) → \((i * 7 + 3) % 10)", labelColor: Color.series[1])
        }
        return ImageGrid(cells: cells, columns: 8, cellSize: 40)
    }

    static var conv1Filters: ImageGrid {
        var random = Generator(state: 5)
        return ImageGrid(cells: (0..<6).map { ImageGrid.Cell(image: filter(5, &random), label: "filter \($0)") }, columns: 6, cellSize: 40)
    }

    static var conv2Filters: ImageGrid {
        var random = Generator(state: 6)
        return ImageGrid(cells: (0..<96).map { _ in ImageGrid.Cell(image: filter(5, &random)) }, columns: 6, cellSize: 22, gap: 3,
                         rowLabels: (0..<16).map { "out \($0)" }, columnLabels: (0..<6).map { "in \($0)" })
    }

    static var reconstructions: ImageGrid {
        var random = Generator(state: 7)
        let cells = (0..<4 * 8).map { i in
            let values = (0..<28 * 28).map { _ in Float.random(in: -1...1, using: &random) }
            return ImageGrid.Cell(image: Colormap.diverging(limit: 1).image(width: 28, height: 28, values: values), label: "conv2 · \(i % 8 + 8)")
        }
        return ImageGrid(cells: cells, columns: 8, cellSize: 44, rowLabels: ["digit 0", "digit 1", "digit 5", "digit 8"])
    }
}
