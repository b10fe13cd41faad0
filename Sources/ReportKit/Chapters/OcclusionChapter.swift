import Analyses
import Charts
import Graphics
import Writeup

/// Section 12: what happens when a grey square hides part of a digit (Zeiler & Fergus, Fig. 7).
struct OcclusionChapter: Chapter {
    struct DigitContext {
        let digit: Int, testIndex: Int, map: Int
        let fig: String, file: String
        let unoccluded: String, lowest: String
        let lowestRow: Int, lowestColumn: Int
        let onInk: String, offInk: String
        let inkMatters: Bool
        let otherLabels: String, anyOtherLabel: Bool
        let changedShare: String
        let activationLowest: String
        let activationDropInField: Bool
    }

    struct Context {
        let fill: String
        let patch: Int
        let digits: [DigitContext]
        let allInkMatters: Bool
    }

    /// Ten colours for the ten labels (Tableau 10), so that a label map reads at a glance.
    static let labelColors = [0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC]
        .map { Color(hex: $0) }

    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let occlusion = run.analyses.occlusion
        figures = occlusion.digits.map { ("occlusion_digit\($0.image.digit)", Self.figure($0, fill: occlusion.fill)) }
        let digits = occlusion.digits.map { d -> DigitContext in
            let image = d.image.image, side = 28
            // A square covers ink when any pixel under it is at least half black.
            let coversInk = (0..<(side * side)).map { centre -> Bool in
                let (rows, columns) = Occlusion.covered(row: centre / side, column: centre % side)
                return rows.contains { r in columns.contains { c in image[r * side + c] >= 0.5 } }
            }
            func mean(_ values: [Float], where keep: (Int) -> Bool) -> Double {
                let kept = values.indices.filter(keep).map { Double(values[$0]) }
                return kept.isEmpty ? .nan : kept.reduce(0, +) / Double(kept.count)
            }
            let onInk = mean(d.probability) { coversInk[$0] }, offInk = mean(d.probability) { !coversInk[$0] }
            let lowest = d.probability.indices.min { d.probability[$0] < d.probability[$1] }!
            let others = Set(d.label.filter { $0 != d.image.digit }).sorted()
            let weakest = d.activation.indices.min { d.activation[$0] < d.activation[$1] }!
            let name = "occlusion_digit\(d.image.digit)"
            return DigitContext(
                digit: d.image.digit, testIndex: d.image.testIndex, map: d.map,
                fig: CrossReferences.placeholder(.figure, name), file: name,
                unoccluded: Formatted.percent(Double(d.unoccludedProbability), digits: 1),
                lowest: Formatted.percent(Double(d.probability[lowest]), digits: 1), lowestRow: lowest / side, lowestColumn: lowest % side,
                onInk: Formatted.percent(onInk, digits: 1), offInk: Formatted.percent(offInk, digits: 1),
                inkMatters: onInk < offInk - 0.01,
                otherLabels: Formatted.list(others.map(String.init)), anyOtherLabel: !others.isEmpty,
                changedShare: Formatted.percent(Double(d.label.filter { $0 != d.image.digit }.count) / Double(side * side), digits: 1),
                activationLowest: Formatted.percent(Double(d.activation[weakest] / max(d.unoccludedActivation, .leastNormalMagnitude)), digits: 0),
                activationDropInField: d.projection.receptiveField.contains(y: weakest / side, x: weakest % side))
        }
        context = Context(fill: Formatted.decimal(Double(occlusion.fill), 4), patch: Occlusion.patch, digits: digits,
                          allInkMatters: digits.allSatisfy(\.inkMatters))
    }

    /// The paper's five panels: the input, (b) the map's total activation and (c) its projection,
    /// (d) the probability of the true class and (e) the most probable label, for every centre.
    static func figure(_ d: Occlusion.Digit, fill: Float) -> ImageGrid {
        let activation = Colormap.viridis(minimum: 0, maximum: d.activation.max() ?? 1)
        let labels = PixelImage(width: 28, height: 28, values: d.label.map(Float.init)) { labelColors[Int($0)] }
        let present = Set(d.label).sorted().map { "\($0)" }.joined(separator: " ")
        return ImageGrid(cells: [
            ImageGrid.Cell(image: .digit(d.image.image), label: "(a) test image \(d.image.testIndex)"),
            ImageGrid.Cell(image: activation.image(width: 28, height: 28, values: d.activation), label: "(b) conv2 map \(d.map), total"),
            ImageGrid.Cell(image: .reconstruction(d.projection.reconstruction), label: "(c) its projection"),
            ImageGrid.Cell(image: Colormap.viridis(minimum: 0, maximum: 1).image(width: 28, height: 28, values: d.probability),
                           label: "(d) P(\(d.image.digit)), 0–1"),
            ImageGrid.Cell(image: labels, label: "(e) label: \(present)"),
        ], columns: 5, cellSize: 80, gap: 10)
    }
}
