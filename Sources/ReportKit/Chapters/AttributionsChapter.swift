import Analyses
import Charts
import Foundation
import Graphics
import Network
import Writeup

/// The chapter on explaining the decision: nine attributions of the predicted class beside each
/// other, their faithfulness by deletion and insertion against a random order, and which of them
/// survive Adebayo et al.'s cascading randomisation.
struct AttributionsChapter: Chapter {
    /// One value of a list a template iterates (a table's cells, its columns' titles).
    struct Cell {
        let value: String
    }

    /// A method's areas: means with quartiles, and how often its order beats the random one.
    struct FaithfulnessRow {
        let method: String
        let deletion: String, deletionQuartiles: String, insertion: String, insertionQuartiles: String
        let beatsRandom: String
    }

    /// A method's mean Spearman correlation per cascading condition; between unrelated images and
    /// the bound it passes below; with the input, trained and with every layer redrawn.
    struct RandomisationRow {
        let method: String
        let randomised: [Cell]
        let unrelated: String, passesBelow: String
        let input: String, redrawnInput: String
    }

    /// The best method by one score, the runner-up and the lead over it, image by image.
    struct Best {
        /// "deletion", "lowest" or "insertion", "highest".
        let score: String, extreme: String
        let method: String, area: String, random: String, beats: String
        let runnerUp: String, lead: String
        /// Whether the lead's interval lies above zero.
        let clear: Bool
        let last: Bool
        /// The same method as the entry before: a sentence names it once.
        let sameMethod: Bool
    }

    struct Context {
        /// How many test images the curves are over, and the randomisation ("1,000", "100").
        let images: String, randomisationImages: String
        /// Whether they are the default scaled down for a network costlier than LeNet-5 ("1,000"),
        /// and how many times LeNet-5's forward pass this one's costs ("29").
        let scaledDown: Bool, fullImages: String, cost: String
        let steps: Int, pixelsPerStep: Int, points: Int
        let randomOrders: String
        let seed: UInt64, redrawSeed: UInt64
        let igSteps: Int, igLast: Int, smoothGradSamples: Int, sigma: String, patch: Int, positions: String
        /// Where Grad-CAM looks, and its maps' size ("10×10").
        let camLayer: String, camSize: String
        /// "pixels (byte / 255)" or "the network's normalised input".
        let inputUnits: String
        let exampleDigit: Int, exampleIndex: Int
        let conditionTitles: [Cell]
        /// "conv2 random" … as the cascade list reads, "conv1 and conv2 both redrawn".
        let allRedrawn: String
        let faithfulnessRows: [FaithfulnessRow], randomisationRows: [RandomisationRow]
        /// The random order's areas and their quartiles.
        let randomDeletion: String, randomInsertion: String
        let randomDeletionQuartiles: String, randomInsertionQuartiles: String
        /// "23 (Grad-CAM) and 23 (guided Grad-CAM)": comparisons with an undefined correlation, of
        /// how many ("200").
        let undefined: String, anyUndefined: Bool, comparisons: String
        // The conclusions, each chosen by the numbers it quotes.
        let bests: [Best]
        let allBeatRandom: Bool
        let noBetterByDeletion: String, anyNoBetterByDeletion: Bool, oneNoBetterByDeletion: Bool
        let noBetterByInsertion: String, anyNoBetterByInsertion: Bool, oneNoBetterByInsertion: Bool
        /// How many pass, in words ("six", "none").
        let passing: String, passingCount: String, anyPassing: Bool, onePassing: Bool, allPass: Bool
        let failing: String, oneFailing: Bool
        let agreesWithAdebayo: Bool, guidedChangesLeast: Bool, guidedPasses: Bool, guidedPassesBelow: String
        /// Guided backpropagation's correlation minus the gradient's and minus Grad-CAM's, image by
        /// image: "0.21 (0.18 to 0.24)", and how many images are paired.
        let guidedOverGradient: String, guidedOverGradCAM: String, pairedImages: Int
        /// The gradient and Grad-CAM, those of them that fail.
        let gradientOrCAMFailing: String, oneGradientOrCAMFailing: Bool
        /// The methods that fail and still look like the input with every layer redrawn, and their
        /// correlations with it.
        let inputLike: String, anyInputLike: Bool, oneInputLike: Bool, inputLikeValues: String
        let gradientRandom: String, gradCAMRandom: String, guidedRandom: String, guidedGradCAMRandom: String
        /// Of the methods that pass and beat the random order, the best by each score, when both exist.
        let bestPassingByDeletion: String, bestPassingByInsertion: String, samePassingBest: Bool, anyPassingBest: Bool
        /// Integrated Gradients' sum against log p_c(x) − log p_c(blank): "falls short of it" or
        /// "exceeds it", by how much, as a share of the mean gap.
        let completenessError: String, completenessDirection: String, gap: String, completenessPercent: String, weightsPercent: String
        let completenessIsTheWeights: Bool
        let blankProbability: String
    }

    static let name = "attributions"
    let figures: [NamedFigure]
    let tables = ["faithfulness", "attribution_randomisation"]
    let context: Context

    init(_ run: RunResults) {
        let e = run.analyses.explanations, f = e.findings, network = run.network
        figures = [("attributions_digits", Self.digitsFigure(e)), ("faithfulness_curves", Self.curvesFigure(e)),
                   ("attributions_randomisation", Self.randomisationFigure(e))]
        let number = { (x: Double) in Formatted.decimal(x, 2).replacingOccurrences(of: "-", with: "−") }
        let auc = { (x: Double) in Formatted.decimal(x, 3) }
        let quartiles = { (s: Explanations.Findings.Spread) in
            "\(Formatted.decimal(s.lowerQuartile, 2))–\(Formatted.decimal(s.upperQuartile, 2))"
        }
        let percent = { (x: Double) in Formatted.percent(x, digits: 0) }
        let lead = { (d: PairedDifference) in "\(auc(d.mean)) (\(auc(d.low)) to \(auc(d.high)))" }
        let faithfulnessRows = f.methods.map { m in
            FaithfulnessRow(method: m.method.title, deletion: auc(m.deletion.mean), deletionQuartiles: quartiles(m.deletion),
                            insertion: auc(m.insertion.mean), insertionQuartiles: quartiles(m.insertion),
                            beatsRandom: "\(percent(m.deletionBeatsRandom)) / \(percent(m.insertionBeatsRandom))")
        }
        let randomisationRows = f.methods.map { m in
            RandomisationRow(method: m.method.title, randomised: m.randomised.map { Cell(value: number($0)) },
                             unrelated: number(m.unrelated),
                             passesBelow: number(m.passesBelow), input: number(m.input), redrawnInput: number(m.redrawnInput))
        }
        let undefined = f.methods.filter { $0.undefined > 0 }
        let names = { (methods: [AttributionMethod]) in Formatted.list(methods.map(\.name)) }
        let cam = network.outputShapes[network.gradCAMLayer]
        let layers = network.convolutionalLayers.map(\.name)
        // p_c of the blank image: every insertion curve's first point.
        let blank = (0..<e.faithfulness.count).map { i in
            Double(e.faithfulness.curve(\.insertion, AttributionMethod.gradient.rawValue, image: i)[0])
        }
        let (patch, height, width) = (ClassAttributions.occlusionPatch, network.imageHeight, network.imageWidth)
        let stepSize = (network.inputCount + Faithfulness.steps - 1) / Faithfulness.steps
        context = Context(
            images: Formatted.integer(f.images), randomisationImages: Formatted.integer(f.randomisationImages),
            scaledDown: f.images < Explanations.defaultImages && f.images == Explanations.defaultImages(for: network).images,
            fullImages: Formatted.integer(Explanations.defaultImages),
            cost: Formatted.decimal(Explanations.relativeCost(network), 0),
            steps: Faithfulness.steps, pixelsPerStep: stepSize, points: Faithfulness.steps + 1,
            randomOrders: Formatted.count(Faithfulness.randomOrders), seed: e.seed, redrawSeed: e.redrawSeed,
            igSteps: ClassAttributions.integratedGradientsSteps, igLast: ClassAttributions.integratedGradientsSteps - 1,
            smoothGradSamples: ClassAttributions.smoothGradSamples, sigma: "\(ClassAttributions.smoothGradSigma)", patch: patch,
            positions: Formatted.integer((height - patch + 1) * (width - patch + 1)),
            camLayer: network.gradCAMLayerDescription, camSize: "\(cam[1])×\(cam[2])",
            inputUnits: network.normalization == nil ? "pixel units (byte / 255)" : "the network's normalised input units",
            exampleDigit: e.digits[0].digit, exampleIndex: e.digits[0].testIndex,
            conditionTitles: e.conditions.map { Cell(value: $0.reportTitle) },
            allRedrawn: Formatted.list(layers) + (layers.count == 1 ? "" : layers.count == 2 ? " both" : " all") + " redrawn",
            faithfulnessRows: faithfulnessRows, randomisationRows: randomisationRows,
            randomDeletion: auc(f.randomDeletion.mean), randomInsertion: auc(f.randomInsertion.mean),
            randomDeletionQuartiles: quartiles(f.randomDeletion), randomInsertionQuartiles: quartiles(f.randomInsertion),
            undefined: Formatted.list(undefined.map { "\($0.undefined) (\($0.method.name))" }), anyUndefined: !undefined.isEmpty,
            comparisons: Formatted.integer(f.randomisationImages * e.conditions.count),
            bests: [Best(score: "deletion", extreme: "lowest", method: f.bestByDeletion.name,
                         area: auc(f.method(f.bestByDeletion).deletion.mean), random: auc(f.randomDeletion.mean),
                         beats: percent(f.method(f.bestByDeletion).deletionBeatsRandom), runnerUp: f.runnerUpByDeletion.name,
                         lead: lead(f.deletionLead), clear: f.clearlyBestByDeletion, last: false, sameMethod: false),
                    Best(score: "insertion", extreme: "highest", method: f.bestByInsertion.name,
                         area: auc(f.method(f.bestByInsertion).insertion.mean), random: auc(f.randomInsertion.mean),
                         beats: percent(f.method(f.bestByInsertion).insertionBeatsRandom), runnerUp: f.runnerUpByInsertion.name,
                         lead: lead(f.insertionLead), clear: f.clearlyBestByInsertion, last: true,
                         sameMethod: f.bestByInsertion.name == f.bestByDeletion.name)],
            allBeatRandom: f.allBeatRandom,
            noBetterByDeletion: names(f.noBetterThanRandomByDeletion), anyNoBetterByDeletion: !f.noBetterThanRandomByDeletion.isEmpty,
            oneNoBetterByDeletion: f.noBetterThanRandomByDeletion.count == 1,
            noBetterByInsertion: names(f.noBetterThanRandomByInsertion), anyNoBetterByInsertion: !f.noBetterThanRandomByInsertion.isEmpty,
            oneNoBetterByInsertion: f.noBetterThanRandomByInsertion.count == 1,
            passing: names(f.passing), passingCount: f.passing.isEmpty ? "none" : Formatted.count(f.passing.count),
            anyPassing: !f.passing.isEmpty, onePassing: f.passing.count == 1, allPass: f.failing.isEmpty,
            failing: names(f.failing), oneFailing: f.failing.count == 1,
            agreesWithAdebayo: f.agreesWithAdebayo, guidedChangesLeast: f.guidedChangesLeast,
            guidedPasses: f.method(.guidedBackprop).passes, guidedPassesBelow: number(f.method(.guidedBackprop).passesBelow),
            guidedOverGradient: SanityChapter.difference(f.guidedOverGradient),
            guidedOverGradCAM: SanityChapter.difference(f.guidedOverGradCAM), pairedImages: f.guidedOverGradient.count,
            gradientOrCAMFailing: names([AttributionMethod.gradient, .gradCAM].filter { !f.method($0).passes }),
            oneGradientOrCAMFailing: [AttributionMethod.gradient, .gradCAM].filter { !f.method($0).passes }.count == 1,
            inputLike: names(f.inputLike), anyInputLike: !f.inputLike.isEmpty, oneInputLike: f.inputLike.count == 1,
            inputLikeValues: Formatted.list(f.inputLike.map { number(f.method($0).redrawnInput) })
                + (f.inputLike.count > 1 ? " respectively" : ""),
            gradientRandom: number(f.method(.gradient).fullyRandomised), gradCAMRandom: number(f.method(.gradCAM).fullyRandomised),
            guidedRandom: number(f.method(.guidedBackprop).fullyRandomised),
            guidedGradCAMRandom: number(f.method(.guidedGradCAM).fullyRandomised),
            bestPassingByDeletion: f.bestPassingByDeletion?.name ?? "", bestPassingByInsertion: f.bestPassingByInsertion?.name ?? "",
            samePassingBest: f.bestPassingByDeletion == f.bestPassingByInsertion,
            anyPassingBest: f.bestPassingByDeletion != nil && f.bestPassingByInsertion != nil,
            completenessError: Formatted.decimal(abs(f.completenessError), 3),
            completenessDirection: f.completenessError < 0 ? "falls short of it" : "exceeds it", gap: number(f.logProbabilityGap),
            completenessPercent: Formatted.percent(abs(f.relativeCompletenessError), digits: 1),
            weightsPercent: Formatted.percent(Explanations.Findings.weightsShortfall, digits: 1),
            completenessIsTheWeights: f.completenessIsTheWeights,
            blankProbability: number(blank.reduce(0, +) / Double(max(blank.count, 1))))
    }

    /// How the figures label the methods' columns, on two lines where the name is long.
    static func columnLabel(_ m: AttributionMethod) -> String {
        switch m {
        case .gradientXInput: "gradient\n× input"
        case .integratedGradients: "Integrated\nGradients"
        case .guidedGradCAM: "guided\nGrad-CAM"
        case .guidedBackprop: "guided\nbackprop."
        default: m.title
        }
    }

    /// Rows of the input and every method's attribution, each on its own symmetric scale.
    static func grid(_ rows: [(label: String, input: [Float], attributions: [[Float]])]) -> Keyed {
        let cells = rows.flatMap { row in
            [ImageGrid.Cell(image: .digit(row.input))]
                + row.attributions.map { ImageGrid.Cell(image: .reconstruction($0), note: limitNote($0)) }
        }
        let columns = ["input"] + AttributionMethod.allCases.map(columnLabel)
        return ImageGrid(cells: cells, columns: columns.count, cellSize: 36, gap: 3, rowLabels: rows.map(\.label), columnLabels: columns)
            .fitting(PrintArea(width: PrintArea.column.width, maxHeight: PrintArea.column.maxHeight - 50),
                     bands: [ImageGrid.bands(columns.count, widest: 5)])
            .withColorBar(.perPanel(label: "each panel on its own scale, ±L under it"), side: .bottom)
    }

    /// "±0.42", and for limits below 0.01 "±4.5×10⁻⁵": the panel's limit to two significant digits
    /// (a sure network's gradients are tiny).
    static func limitNote(_ values: [Float]) -> String {
        let limit = Double(Colormap.percentileLimit(values))
        guard values.contains(where: { $0 != 0 }), limit > 0 else { return "blank" }
        guard limit < 0.01 else { return ImageGrid.limitNote(values) }
        var exponent = Int(log10(limit).rounded(.down))
        var mantissa = (limit / pow(10, Double(exponent)) * 10).rounded() / 10
        if mantissa >= 10 { (mantissa, exponent) = (mantissa / 10, exponent + 1) }
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵",
                                                    "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        return "±" + String(format: "%.1f", mantissa) + "×10" + String(String(exponent).map { superscripts[$0]! })
    }

    /// A row per report digit.
    static func digitsFigure(_ e: Explanations) -> Keyed {
        grid(e.digits.enumerated().map { i, d in
            ("\(d.digit) (test \(d.testIndex))", d.image, AttributionMethod.allCases.map { e.digitAttributions.attribution($0, image: i) })
        })
    }

    /// The first digit under the trained model and each cascading condition.
    static func randomisationFigure(_ e: Explanations) -> Keyed {
        let d = e.digits[0]
        let trained = AttributionMethod.allCases.map { e.digitAttributions.attribution($0, image: 0) }
        return grid([("trained", d.image, trained)] + e.conditions.map { c in
            (c.reportTitle, d.image, AttributionMethod.allCases.map { e.randomisedExample[c]!.attribution($0, image: 0) })
        })
    }

    /// A panel per method: the mean deletion and insertion curves with their interquartile bands,
    /// and the random order's, dashed.
    static func curvesFigure(_ e: Explanations) -> Keyed {
        let f = e.faithfulness
        let (deletionColor, insertionColor) = (Color.series[0], Color.series[1])
        func series(_ kind: KeyPath<Faithfulness, [String: [Float]]>, _ key: String, name: String, color: Color,
                    dashed: Bool) -> LineChart.Series {
            let curves = f[keyPath: kind][key]!
            let summaries = (0..<f.points).map { k in SimilaritySummary((0..<f.count).map { Double(curves[$0 * f.points + k]) }) }
            return LineChart.Series(name: name, points: zip(f.fractions, summaries).map { Point($0, $1.mean) }, color: color,
                                    dashed: dashed, lineWidth: dashed ? 1 : 1.3,
                                    band: dashed ? nil : summaries.map { $0.lowerQuartile...$0.upperQuartile })
        }
        let random = (series(\.deletion, Faithfulness.randomKey, name: "deletion, random order", color: deletionColor, dashed: true),
                      series(\.insertion, Faithfulness.randomKey, name: "insertion, random order", color: insertionColor, dashed: true))
        let methods = AttributionMethod.allCases
        let charts = methods.enumerated().map { i, m in
            LineChart(title: m.title, xLabel: i >= methods.count - 3 ? "fraction of pixels" : "", yLabel: i % 3 == 0 ? "p(class)" : "",
                      series: [random.0, random.1, series(\.deletion, m.rawValue, name: "deletion", color: deletionColor, dashed: false),
                               series(\.insertion, m.rawValue, name: "insertion", color: insertionColor, dashed: false)],
                      size: Size(150, 118), x: AxisOptions(range: 0...1), y: AxisOptions(range: 0...1), legend: .hidden)
        }
        let legend = Legend(entries: [
            .init(name: "deletion", swatch: .line(deletionColor)), .init(name: "insertion", swatch: .line(insertionColor)),
            .init(name: "random order", swatch: .line(.muted, dashed: true)),
            .init(name: "interquartile range", swatch: .box(LineChart.Series.bandColor(.muted))),
        ], arrangement: .rows(maxWidth: PrintArea.column.width))
        return Grid(charts, columns: 3, spacing: Size(6, 6)).withLegend(legend)
    }
}
