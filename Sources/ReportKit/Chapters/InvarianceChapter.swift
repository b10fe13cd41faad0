import Analyses
import Charts
import Graphics

/// Section 11: how the representation and the prediction change when a digit is moved, scaled
/// or rotated (Zeiler & Fergus, Fig. 5).
struct InvarianceChapter: Chapter {
    struct DigitRow {
        let digit: Int
        let shifts: String, scales: String, rotations: String
        let upsideDown: Int
        let upsideDownIsOther: Bool
    }

    struct Context {
        let exampleDigit: Int
        let rows: [DigitRow]
        /// The range of shifts, scales and rotations every digit survives.
        let commonShift: String, commonScale: String, commonRotation: String
        let upsideDownOthers: String
        let anyUpsideDownOther: Bool
        let upsideDownSame: String
        let anyUpsideDownSame: Bool
    }

    let figures: [NamedFigure]
    let tables = ["invariance"]
    let context: Context

    init(_ run: RunResults) {
        let invariance = run.analyses.invariance
        figures = [("invariance_examples", Self.examples(run.digits[0].input)), ("invariance_curves", Self.curves(invariance))]
        let translation = Invariance.Transform.translation.parameters, scale = Invariance.Transform.scale.parameters
        let rotation = Invariance.Transform.rotation.parameters
        let rows = invariance.digits.map { d -> (row: DigitRow, shift: Int, scale: ClosedRange<Double>, rotation: Int) in
            let digit = d.image.digit
            let shifts = Self.correctRun(d.curves[.translation]!.predicted, around: translation.firstIndex(of: 0)!, digit: digit)
            let scales = Self.correctRun(d.curves[.scale]!.predicted, around: scale.firstIndex(of: 1)!, digit: digit)
            let turned = d.curves[.rotation]!.predicted
            // Counterclockwise from 0° and clockwise from 360°: the smaller is the angle it survives both ways.
            let ccw = (turned.firstIndex { $0 != digit } ?? turned.count) - 1, cw = (turned.reversed().firstIndex { $0 != digit } ?? turned.count) - 1
            let both = Int(rotation[max(min(ccw, cw), 0)])
            let half = turned[rotation.firstIndex(of: 180)!]
            let shift = min(Int(-translation[shifts.lowerBound]), Int(translation[shifts.upperBound]))
            return (DigitRow(digit: digit, shifts: "\(Int(translation[shifts.lowerBound])) to +\(Int(translation[shifts.upperBound])) rows",
                             scales: "\(Formatted.decimal(scale[scales.lowerBound], 2))–\(Formatted.decimal(scale[scales.upperBound], 2))",
                             rotations: "±\(both)°", upsideDown: half, upsideDownIsOther: half != digit),
                    shift, scale[scales.lowerBound]...scale[scales.upperBound], both)
        }
        let others = rows.filter { $0.row.upsideDownIsOther }.map { "the \($0.row.digit) for a \($0.row.upsideDown)" }
        let same = rows.filter { !$0.row.upsideDownIsOther }.map { "\($0.row.digit)" }
        let scaleLow = rows.map(\.scale.lowerBound).max() ?? 1, scaleHigh = rows.map(\.scale.upperBound).min() ?? 1
        context = Context(
            exampleDigit: run.digits[0].digit, rows: rows.map(\.row), commonShift: "±\(rows.map(\.shift).min() ?? 0)",
            commonScale: "\(Formatted.decimal(scaleLow, 2))–\(Formatted.decimal(scaleHigh, 2))",
            commonRotation: "±\(rows.map(\.rotation).min() ?? 0)°",
            upsideDownOthers: Formatted.list(others), anyUpsideDownOther: !others.isEmpty,
            upsideDownSame: Formatted.list(same), anyUpsideDownSame: !same.isEmpty)
    }

    /// The indices around `start` (which must be correct for the run to be non-empty) where the
    /// prediction is `digit`, as far as it stays so on each side.
    static func correctRun(_ predicted: [Int], around start: Int, digit: Int) -> ClosedRange<Int> {
        guard predicted[start] == digit else { return start...start }
        var (low, high) = (start, start)
        while low > 0 && predicted[low - 1] == digit { low -= 1 }
        while high < predicted.count - 1 && predicted[high + 1] == digit { high += 1 }
        return low...high
    }

    /// The first digit under a few of each transform's parameters.
    static func examples(_ image: [Float]) -> ImageGrid {
        let samples: [(Invariance.Transform, [Double])] = [(.translation, [-8, -4, -2, 0, 2, 4, 8]),
                                                           (.scale, [0.6, 0.8, 0.9, 1, 1.1, 1.2, 1.4]),
                                                           (.rotation, [0, 30, 60, 90, 180, 270, 330])]
        let cells = samples.flatMap { t, parameters in
            parameters.map { p in
                let label = t == .translation ? "\(p > 0 ? "+" : "")\(Int(p)) rows" : t == .scale ? "× \(Formatted.decimal(p, 1))" : "\(Int(p))°"
                return ImageGrid.Cell(image: .digit(t.transform(p).apply(to: image)), label: label)
            }
        }
        return ImageGrid(cells: cells, columns: 7, cellSize: 40, gap: 8, rowLabels: samples.map { $0.0.rawValue })
    }

    /// A 3 × 3 grid of charts: a row per transform; pool1 distance, fc2 distance and the
    /// probability of the true class across; a line per digit.
    static func curves(_ invariance: Invariance) -> Stack {
        let measures: [(String, (Invariance.Curves) -> [Float])] = [("pool1 distance", \.pool1Distance), ("fc2 distance", \.fc2Distance),
                                                                   ("P(true class)", \.probability)]
        let xLabels: [Invariance.Transform: String] = [.translation: "vertical shift (rows)", .scale: "scale factor", .rotation: "rotation (degrees)"]
        return Stack(Invariance.Transform.allCases.map { t in
            Row(measures.map { name, values in
                LineChart(xLabel: xLabels[t]!, yLabel: name, series: invariance.digits.map { d in
                    .init(name: "\(d.image.digit)",   // a short key keeps the legend small in a small chart
                          points: zip(t.parameters, values(d.curves[t]!)).map { Point($0, Double($1)) })
                }, size: Size(155, 125))
            }, spacing: 4)
        }, spacing: 6)
    }
}
