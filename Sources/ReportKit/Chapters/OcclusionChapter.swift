import Analyses
import Charts
import Graphics
import Network
import Writeup

/// The chapter on what happens when a grey square hides part of a digit (Zeiler & Fergus, Fig. 7).
struct OcclusionChapter: Chapter {
    struct DigitContext {
        let digit: Int, testIndex: Int, map: Int
        /// The first digit's caption says what the figure shows; the others refer to it.
        let first: Bool
        let fig: String, file: String
        let unoccluded: String, lowest: String
        let lowestRow: Int, lowestColumn: Int
        let onInk: String, offInk: String
        /// "9.6 % (to 7 and 9)" or "none".
        let changed: String
        let activationLowest: String
        /// "yes"/"no", and the field's share of all centres.
        let inField: String, fieldShare: String
    }

    struct Context {
        /// "Figure 27" or "Figures 27 to 30" as references, for the text.
        let figures: String
        let fill: String
        let patch: Int, reach: Int
        let ink: String
        /// The maps' size ("28×28"), the layer whose strongest map is followed, and what its
        /// activation is called ("total pooled activation").
        let size: String
        let layer: String, activation: String
        let digits: [DigitContext]
        let allInkMatters: Bool, noInkMatters: Bool
        /// "digits 0 and 5": where hiding ink costs more than hiding paper, and where it does not.
        let inkMatters: String, inkIgnored: String
        let margin: String
        /// Weakest centres inside the field, out of how many digits, how many random centres would
        /// be expected there, the chance of as many or more, and whether that is below 5 %.
        let inFieldCount: Int, digitCount: Int, expectedInField: String, inFieldChance: String, inFieldBeyondChance: Bool
    }

    static let name = "occlusion"
    let tables = ["occlusion"]


    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let occlusion = run.analyses.occlusion, findings = occlusion.findings, network = run.network
        let side = network.imageWidth, layer = network.convolutionalLayers.last!
        figures = occlusion.digits.map { ("occlusion_digit\($0.image.digit)", Self.figure($0, fill: occlusion.fill, network: network)) }
        let digits = zip(occlusion.digits, findings.digits).enumerated().map { i, pair -> DigitContext in
            let (d, f) = pair, name = "occlusion_digit\(d.image.digit)"
            return DigitContext(
                digit: d.image.digit, testIndex: d.image.testIndex, map: d.map, first: i == 0,
                fig: CrossReferences.placeholder(.figure, name), file: name,
                unoccluded: Formatted.percent(Double(d.unoccludedProbability), digits: 1),
                lowest: Formatted.percent(Double(d.probability[f.lowest]), digits: 1), lowestRow: f.lowest / side, lowestColumn: f.lowest % side,
                onInk: Formatted.percent(f.onInk, digits: 1), offInk: Formatted.percent(f.offInk, digits: 1),
                changed: f.otherLabels.isEmpty ? "none"
                    : "\(Formatted.percent(f.changedShare, digits: 1)) (to \(Formatted.list(f.otherLabels.map(String.init))))",
                activationLowest: Formatted.percent(f.weakestRatio, digits: 0), inField: f.weakestInField ? "yes" : "no",
                fieldShare: Formatted.percent(f.fieldShare, digits: 0))
        }
        func list(_ ds: [Occlusion.Findings.Digit]) -> String {
            (ds.count == 1 ? "digit " : "digits ") + Formatted.list(ds.map { "\($0.digit)" })
        }
        let (matters, ignored) = (findings.digits.filter(\.inkMatters), findings.digits.filter { !$0.inkMatters })
        context = Context(figures: Formatted.figures(digits.map(\.file)), fill: Formatted.decimal(Double(occlusion.fill), 4), patch: Occlusion.patch, reach: Occlusion.patch / 2,
                          ink: Formatted.decimal(Double(Occlusion.Findings.ink), 1),
                          size: "\(network.imageHeight)×\(network.imageWidth)", layer: layer.name,
                          activation: SharedContext.pooled(layer, in: network) ? "total pooled activation" : "total activation",
                          digits: digits, allInkMatters: findings.allInkMatters, noInkMatters: matters.isEmpty,
                          inkMatters: list(matters), inkIgnored: list(ignored),
                          margin: Formatted.decimal(Occlusion.Findings.margin, 2),
                          inFieldCount: findings.inFieldCount, digitCount: findings.digits.count,
                          expectedInField: Formatted.decimal(findings.expectedInField, 1),
                          inFieldChance: Formatted.probability(findings.inFieldChance), inFieldBeyondChance: findings.inFieldBeyondChance)
    }

    /// The paper's five panels: the input, (b) the map's total activation and (c) its projection,
    /// (d) the probability of the true class and (e) the most probable label, for every centre.
    static func figure(_ d: Occlusion.Digit, fill: Float, network: Network) -> ImageGrid {
        let (h, w) = (network.imageHeight, network.imageWidth)
        let activation = Colormap.viridis(minimum: 0, maximum: d.activation.max() ?? 1)
        let labels = PixelImage(width: w, height: h, values: d.label.map(Float.init)) { Color.categorical[Int($0)] }
        let present = Set(d.label).sorted()
        let probability = Colormap.viridis(minimum: 0, maximum: 1)
        return ImageGrid(cells: [
            ImageGrid.Cell(image: .digit(d.image.image), label: "(a) test image \(d.image.testIndex)"),
            ImageGrid.Cell(image: activation.image(width: w, height: h, values: d.activation), label: "(b) \(d.layer.name) map \(d.map)",
                           key: ColorBar(activation, label: "activation", orientation: .horizontal)),
            ImageGrid.Cell(image: .reconstruction(d.projection.reconstruction), label: "(c) its projection",
                           key: ColorBar(.diverging(limit: Colormap.percentileLimit(d.projection.reconstruction)), label: "value", orientation: .horizontal)),
            ImageGrid.Cell(image: probability.image(width: w, height: h, values: d.probability), label: "(d) P(\(d.image.digit))",
                           key: ColorBar(probability, label: "probability", orientation: .horizontal)),
            ImageGrid.Cell(image: labels, label: "(e) predicted label",
                           key: Legend.categorical(present.map(String.init), colors: present.map { Color.categorical[$0] })),
        ], columns: 5, cellSize: 80, gap: 10).fitting()
    }
}
