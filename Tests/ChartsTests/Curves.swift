import Foundation
import Graphics
@testable import Charts

/// Charts shaped like the report's, built from formulas: what the legend, legibility and
/// colour-bar tests draw.
enum Curves {
    static func points(_ n: Int, from: Double, to: Double, _ f: (Double) -> Double) -> [Point] {
        (0..<n).map { i in let x = from + (to - from) * Double(i) / Double(n - 1); return Point(x, f(x)) }
    }

    /// Four V-shaped distance curves over −8…+8 rows, filling the plot as the invariance charts do.
    static func shifts(size: Size = Size(155, 125), legend: LegendPlacement = .automatic) -> LineChart {
        LineChart(xLabel: "vertical shift (rows)", yLabel: "pool1 distance", series: (0..<4).map { d in
            .init(name: "digit \(d)", points: points(17, from: -8, to: 8) { abs($0) * Double(3 + d) + Double(d) * sin($0) })
        }, size: size, legend: legend)
    }

    /// Probabilities that drop from 1 to 0 and back across a full turn, in every corner of the plot.
    static func rotations(size: Size = Size(155, 125), legend: LegendPlacement = .automatic) -> LineChart {
        LineChart(xLabel: "rotation", yLabel: "P(true class)", series: (0..<4).map { d in
            .init(name: "digit \(d)", points: points(37, from: 0, to: 360) { x in
                let turn = min(x, 360 - x) / 180
                return 1 / (1 + exp(20 * (turn - 0.2 - 0.15 * Double(d))))
            })
        }, size: size, x: .degrees, legend: legend)
    }

    /// Training and test loss per epoch, with markers.
    static var lossPerEpoch: LineChart {
        LineChart(xLabel: "epoch", yLabel: "loss (NLL)", series: [
            .init(name: "training", points: points(10, from: 1, to: 10) { 0.26 * pow($0, -1.3) }, markers: true),
            .init(name: "test", points: points(10, from: 1, to: 10) { 0.09 * pow($0, -0.6) }, markers: true),
        ], x: AxisOptions(values: .integer))
    }

    /// Similarities of three rules under three conditions, with quartile whiskers.
    static func similarity(legend: LegendPlacement = .automatic) -> BarChart {
        BarChart(categories: ["conv2 random", "conv1 and conv2 random", "switches only"], groups: ["gradient", "deconvnet", "guided"].enumerated().map { g, name in
            let means = [0.57, 0.39, 0.73].map { $0 + 0.02 * Double(g) }
            return .init(name: name, values: means, spreads: means.map { max(0, $0 - 0.2)...min(1, $0 + 0.3) })
        }, yLabel: "Spearman", size: Size(463, 160), spreadName: "interquartile range", legend: legend)
    }

    /// A 28 × 28 image of a diverging pattern, values −1…1.
    static var pattern: [Float] {
        (0..<784).map { (i: Int) -> Float in
            let (x, y): (Double, Double) = (Double(i % 28), Double(i / 28))
            return Float(sin(x / 4) * cos(y / 5))
        }
    }
}
