import Analyses
import Charts
import Graphics
import Network

/// The chapter on how the representation and the prediction change when a digit is moved, scaled
/// or rotated (Zeiler & Fergus, Fig. 5).
struct InvarianceChapter: Chapter {
    struct DigitRow {
        let digit: Int
        let shifts: String, scales: String, rotations: String
        let upsideDown: Int
    }

    struct Context {
        let exampleDigit: Int
        /// The transforms' ranges and steps as applied, and the sizes of the compared outputs.
        let shiftRange: String, scaleRange: String, rotationRange: String
        /// The two outputs compared: "pool1 output", "fc2 output after ReLU"; their sizes; and their
        /// short names for the charts ("pool1", "fc2").
        let low: String, high: String
        let lowValues: String, highValues: String
        let lowShort: String, highShort: String
        /// The baseline: how many pairs of test images, and each layer's mean distance between them.
        let pairs: String, lowBaseline: String, highBaseline: String
        /// Which layer moves less under each transform; nil when the two outputs are one layer's.
        /// A var so that a test can set it from made-up findings.
        var comparison: Comparison?
        let rows: [DigitRow]
        /// The range of shifts, scales and rotations every digit survives.
        let commonShift: String, commonScale: String, commonRotation: String
        /// Whether every digit survives some of each; else those ranges it does survive, and the
        /// transforms whose smallest step already changes a label.
        let keptAll: Bool, anyKept: Bool
        let kept: String, lost: String
        let oneLost: Bool
        /// The digits turned by 180° by how the reading fits the turned shape
        /// (`Invariance.Findings.Digit.HalfTurn`): "the 0, 1 and 8", "the 0 as a 9", nil for none.
        let keepsSymmetric: String?, losesSymmetric: String?, becomesPartner: String?, ignoresTurn: String?, other: String?
        /// Whether a range in the table reaches an end of the tested range (marked *).
        let anyAtEnd: Bool
    }

    /// The transforms, each with its two mean normalised distances, "shifts (0.41 against 0.78)",
    /// by whether the high layer moves less than the low one (as Zeiler & Fergus found) or not;
    /// nil for none.
    struct Comparison {
        let highLess: String?, highNotLess: String?

        init?(_ layers: [Invariance.Findings.LayerComparison]) {
            guard !layers.isEmpty else { return nil }
            let nouns: [Invariance.Transform: String] = [.translation: "shifts", .scale: "scaling", .rotation: "rotation"]
            func phrase(_ highMovesLess: Bool) -> String? {
                let chosen = layers.filter { $0.highMovesLess == highMovesLess }
                guard !chosen.isEmpty else { return nil }
                return Formatted.list(chosen.map {
                    "\(nouns[$0.transform]!) (\(Formatted.decimal($0.high, 2)) against \(Formatted.decimal($0.low, 2)))"
                })
            }
            (highLess, highNotLess) = (phrase(true), phrase(false))
        }
    }

    static let name = "invariance"
    let figures: [NamedFigure]
    let tables = ["invariance"]
    let context: Context

    init(_ run: RunResults) {
        let invariance = run.analyses.invariance, findings = invariance.findings
        let network = run.network
        let (low, high) = Self.outputs(network)
        figures = [("invariance_examples", Self.examples(run.digits[0].input, width: network.imageWidth)),
                   ("invariance_curves", Self.curves(invariance, low: low.short, high: high.short))]
        let (shift, scale, rotation) = (Invariance.Transform.translation.parameters, Invariance.Transform.scale.parameters,
                                        Invariance.Transform.rotation.parameters)
        let shiftRows = Int(findings.commonShift)
        let common = (shift: "±\(shiftRows) row\(shiftRows == 1 ? "" : "s")",
                      scale: "\(Formatted.decimal(findings.commonScale.lowerBound, 2))–\(Formatted.decimal(findings.commonScale.upperBound, 2))",
                      rotation: "±\(Int(findings.commonRotation))°")
        let ranges = [(findings.commonShift > 0, "shifts of \(common.shift)", "shift"),
                      (findings.commonScale.lowerBound < findings.commonScale.upperBound, "scales of \(common.scale)", "scaling"),
                      (findings.commonRotation > 0, "rotations of \(common.rotation)", "rotation")]
        let (kept, lost) = (ranges.filter(\.0).map(\.1), ranges.filter { !$0.0 }.map(\.2))
        func turned(_ kind: Invariance.Findings.Digit.HalfTurn, reading: Bool) -> String? {
            let ds = findings.digits.filter { $0.halfTurn == kind }
            guard !ds.isEmpty else { return nil }
            return Formatted.list(ds.map { reading ? "the \($0.digit) as a \($0.upsideDown)" : "the \($0.digit)" })
        }
        // An end of the tested range is marked: the digit may keep its label beyond it.
        func end(_ text: String, _ atEnd: Bool) -> String { atEnd ? text + "*" : text }
        var anyAtEnd = false
        let rows = findings.digits.map { d in
            let ends = (d.shifts.lowerBound == shift.first!, d.shifts.upperBound == shift.last!,
                        d.scales.lowerBound == scale.first!, d.scales.upperBound == scale.last!, d.rotation >= 180)
            anyAtEnd = anyAtEnd || ends.0 || ends.1 || ends.2 || ends.3 || ends.4
            return DigitRow(digit: d.digit,
                            shifts: "\(end(Self.signed(d.shifts.lowerBound), ends.0)) to \(end(Self.signed(d.shifts.upperBound), ends.1)) rows",
                            scales: end(Formatted.decimal(d.scales.lowerBound, 2), ends.2) + "–" + end(Formatted.decimal(d.scales.upperBound, 2), ends.3),
                            rotations: end("±\(Int(d.rotation))°", ends.4), upsideDown: d.upsideDown)
        }
        context = Context(
            exampleDigit: run.digits[0].digit,
            shiftRange: "\(Self.signed(shift.first!)) … \(Self.signed(shift.last!)) rows",
            scaleRange: "\(Formatted.decimal(scale.first!, 2)) … \(Formatted.decimal(scale.last!, 2))",
            rotationRange: "\(Int(rotation.first!)) … \(Int(rotation.last!))° in steps of \(Int(rotation[1] - rotation[0]))°",
            low: low.phrase, high: high.phrase, lowValues: Formatted.integer(invariance.lowSize), highValues: Formatted.integer(invariance.highSize),
            lowShort: low.short, highShort: high.short,
            pairs: Formatted.integer(invariance.baseline.pairs.count),
            lowBaseline: Self.significant(invariance.baseline.low), highBaseline: Self.significant(invariance.baseline.high),
            comparison: Comparison(findings.layers),
            rows: rows,
            commonShift: common.shift, commonScale: common.scale, commonRotation: common.rotation,
            keptAll: lost.isEmpty, anyKept: !kept.isEmpty, kept: Formatted.list(kept), lost: Formatted.list(lost), oneLost: lost.count == 1,
            keepsSymmetric: turned(.keepsSymmetric, reading: false), losesSymmetric: turned(.losesSymmetric, reading: true),
            becomesPartner: turned(.becomesPartner, reading: true), ignoresTurn: turned(.ignoresTurn, reading: false),
            other: turned(.other, reading: true), anyAtEnd: anyAtEnd)
    }

    /// The outputs the distances are of: the first convolutional block's, and the last hidden
    /// linear layer's (or the last block's when there is none), as the prose and the charts name them.
    static func outputs(_ network: Network) -> (low: (phrase: String, short: String), high: (phrase: String, short: String)) {
        let names = network.displayNames, layers = network.convolutionalLayers
        func block(_ layer: ConvolutionalLayer) -> (String, String) {
            let name = SharedContext.outputName(layer, in: network), after = SharedContext.after(layer, in: network)
            return name == "\(layer.name) output" ? ("\(name)\(after.isEmpty ? "" : " " + after)", name) : ("\(name) output", name)
        }
        let low = block(layers.first!)
        guard let hidden = network.lastHiddenLayer else { return (low, block(layers.last!)) }
        if case .relu = network.layers[hidden] { return (low, ("\(names[hidden - 1]) output after ReLU", names[hidden - 1])) }
        return (low, ("\(names[hidden]) output", names[hidden]))
    }

    /// A baseline to three significant digits: 12.3, 0.456.
    static func significant(_ x: Float) -> String { Formatted.decimal(Double(x), NumberFormat.decimals(forSignificant: 3, of: Double(x))) }

    /// −8 → "−8", 8 → "+8".
    static func signed(_ x: Double) -> String { x < 0 ? "−\(Int(-x))" : x == 0 ? "0" : "+\(Int(x))" }

    /// The first digit under a few of each transform's parameters.
    static func examples(_ image: [Float], width: Int) -> ImageGrid {
        let samples: [(Invariance.Transform, [Double])] = [(.translation, [-8, -4, -2, 0, 2, 4, 8]),
                                                           (.scale, [0.6, 0.8, 0.9, 1, 1.1, 1.2, 1.4]),
                                                           (.rotation, [0, 30, 60, 90, 180, 270, 330])]
        let cells = samples.flatMap { t, parameters in
            parameters.map { p in
                let label = t == .translation ? "\(p > 0 ? "+" : "")\(Int(p)) rows" : t == .scale ? "× \(Formatted.decimal(p, 1))" : "\(Int(p))°"
                return ImageGrid.Cell(image: .digit(t.transform(p).apply(to: image, width: width)), label: label)
            }
        }
        return ImageGrid(cells: cells, columns: 7, cellSize: 40, gap: 8, rowLabels: samples.map { $0.0.rawValue })
    }

    /// A 3 × 3 grid of charts: a row per transform; the low and the high layer's normalised
    /// distance and the probability of the true class across; a line per digit.
    static func curves(_ invariance: Invariance, low: String, high: String) -> Keyed {
        // Both layers' distances on one scale, reaching at least the unrelated images' 1.
        let largest = invariance.digits.flatMap { $0.curves.values.flatMap { $0.lowNormalised + $0.highNormalised } }.max() ?? 1
        let distance = AxisOptions(range: 0...TickLocator().ticks(for: 0...max(Double(largest), 1), loose: true).values.last!)
        let measures: [(String, (Invariance.Curves) -> [Float], normalised: Bool)] = [("\(low) (normalised)", \.lowNormalised, true),
                                                                                     ("\(high) (normalised)", \.highNormalised, true),
                                                                                     ("P(true class)", \.probability, false)]
        let xLabels: [Invariance.Transform: String] = [.translation: "vertical shift (rows)", .scale: "scale factor", .rotation: "rotation"]
        let xAxes: [Invariance.Transform: AxisOptions] = [.translation: AxisOptions(), .scale: AxisOptions(), .rotation: .degrees]
        let charts = Invariance.Transform.allCases.map { t in
            let ends = [t.parameters.first!, t.parameters.last!]
            let unrelated = LineChart.Series(name: "unrelated images", points: ends.map { Point($0, 1) }, color: .muted, dashed: true,
                                             lineWidth: 1)
            return measures.map { name, values, normalised in
                LineChart(xLabel: xLabels[t]!, yLabel: name, series: invariance.digits.map { d in
                    .init(name: "digit \(d.image.digit)", points: zip(t.parameters, values(d.curves[t]!)).map { Point($0, Double($1)) })
                } + (normalised ? [unrelated] : []), size: Size(151, 125), x: xAxes[t]!, y: normalised ? distance : AxisOptions(),
                legend: .hidden)
            }
        }
        return Stack(charts.map { Row($0, spacing: 4) }, spacing: 6).withLegend(Legend(entries: charts[0][0].legendEntries))
    }
}
