import Analyses
import Charts
import Deconvnet
import Network
import Graphics
import Network
import Writeup

/// The chapter on how much of each picture survives when the learned filters are replaced by random
/// ones (Adebayo et al., 2018), under each of the three rules: cascading randomisation from the
/// top convolutional layer down, then the trained switches with every filter random.
struct SanityChapter: Chapter {
    struct Row {
        let condition: String, rule: String
        let spearman: String, spearmanQuartiles: String, spearmanLast: String
        let support: String, supportLast: String
        let ssim: String, ssimLast: String
    }

    struct Baseline {
        let rule: String
        let input: String, pairwise: String
    }

    /// A cascading condition, as the list of conditions describes it.
    struct Condition {
        let title: String, key: String
        /// The first (the top layer alone), whose entry says how layers are redrawn.
        let first: Bool
        /// "conv2's", "conv1's and conv2's".
        let redrawn: String
    }

    /// One draw of the random filters: the numbers the findings rest on.
    struct Redrawing {
        let seed: UInt64
        let switchesTop: String, switchesSupportTop: String, switchesSSIMTop: String
        let randomGradient: String, randomDeconvnet: String, randomGuided: String
        let guidedOverGradient: String, underTopRedrawn: String
    }

    /// A figure of one rule's pictures, with its caption.
    struct PictureFigure {
        let fig: String, file: String
        let caption: String
    }

    struct Context {
        let seed: UInt64
        let exampleDigit: Int
        let conditions: [Condition]
        /// How many conditions in words ("three"), the last layer's redrawn title ("conv2 random"),
        /// the layers below it ("conv1's"), and every layer listed ("conv1 and conv2").
        let conditionCount: String
        let topTitle: String, lowerLayers: String, allLayers: String
        /// "conv1 and conv2 both randomised", "conv1, conv2 and conv3 all randomised".
        let allRandomised: String
        let pictures: [PictureFigure]
        /// References to every picture figure, deconvnet's first, for the text.
        let pictureFigures: String
        let rows: [Row]
        let baselines: [Baseline]
        let anySkipped: Bool
        // The conclusions, each chosen by the numbers it quotes.
        let switchesTop: String, switchesSupportTop: String, switchesSSIMTop: String
        /// Which of the three switch sentences: the switches decide the pattern, only where it
        /// lies, or neither.
        let switchesDominate: Bool, switchesFixLocation: Bool
        let randomGradient: String, randomGuided: String, randomDeconvnet: String
        let guidedLeastChanged: Bool, gradientMostChanged: Bool
        /// "0.03 (0.01 to 0.05)": guided backpropagation's Spearman minus the other rule's, with
        /// its interval; and the number of pictures paired.
        let guidedOverGradient: String, guidedOverDeconvnet: String, pairs: Int
        let inputDeconvnet: String
        let inputIsLarge: Bool
        /// The gradient's mean correlation with the input, and guided backpropagation's and the
        /// deconvnet's minus it, picture by picture ("0.07 (0.05 to 0.09)"), over how many pictures.
        let inputGradient: String, inputGuidedOverGradient: String, inputDeconvnetOverGradient: String, inputPairs: Int
        let modifiedRulesRecoverInput: Bool
        let pairwiseDeconvnet: String
        let mapsAlike: Bool
        let underTopRedrawn: String
        /// Every draw of the random filters (`seed`'s first), their number in words and their
        /// seeds ("2013 to 2017").
        let redrawings: [Redrawing], redrawingCount: String, seeds: String
        /// The lowest to the highest switches-only correlations over the draws ("0.41 to 0.52", or
        /// "0.98" when they round alike).
        let switchesTopRange: String, switchesSupportRange: String
        /// Whether every draw supports `seed`'s reading of the switches, and how many do ("three").
        let switchesReadingStable: Bool, switchesReadingCount: String
        /// In how many draws guided backpropagation keeps more than both other rules beyond the
        /// intervals ("in all five", "in none of the five", "in three of the five"), and whether
        /// that is every draw or none (the same answer as `seed`'s).
        let guidedLeastCount: String, guidedLeastStable: Bool
    }

    static let name = "sanity"
    /// The rules in the order the text shows them.
    static let ruleOrder: [BackwardRule] = [.deconvnet, .gradient, .guided]
    let figures: [NamedFigure]
    let tables = ["sanity", "sanity_seeds"]
    let context: Context

    init(_ run: RunResults) {
        let sanity = run.analyses.sanity, findings = sanity.findings, network = run.network
        let parts = MapPart.parts(network), layers = network.convolutionalLayers, last = layers.last!
        figures = BackwardRule.allCases.flatMap { rule in
            parts.map { ("sanity_\(rule.rawValue)\($0.suffix)", Self.conditions(sanity, rule: rule, input: run.digits[0].input, part: $0)) as NamedFigure }
        } + [("sanity_similarity", Self.chart(sanity))]
        let number = { (x: Double) in Formatted.decimal(x, 2) }
        let rows = sanity.randomised.flatMap { condition in
            BackwardRule.allCases.map { rule in
                let c = sanity.comparison(condition, rule)
                return Row(condition: condition.reportTitle, rule: rule.rawValue, spearman: number(c.spearmanSummary.mean),
                           spearmanQuartiles: "\(number(c.spearmanSummary.lowerQuartile))–\(number(c.spearmanSummary.upperQuartile))",
                           spearmanLast: number(c.summary(.spearman, layer: last).mean),
                           support: number(c.supportSpearmanSummary.mean), supportLast: number(c.summary(.supportSpearman, layer: last).mean),
                           ssim: number(c.ssimSummary.mean),
                           ssimLast: number(c.summary(.ssim, layer: last).mean))
            }
        }
        let baselines = BackwardRule.allCases.map { rule in
            let b = sanity.baseline(rule)
            return Baseline(rule: rule.rawValue, input: number(b.inputSpearmanSummary.mean), pairwise: number(SimilaritySummary(b.pairwiseSpearman).mean))
        }
        let cascade = sanity.randomised.filter(\.recomputesForward)
        let conditions = cascade.enumerated().map { i, c in
            Condition(title: c.reportTitle, key: c.key, first: i == 0, redrawn: Formatted.list(c.redrawn.map { "conv\($0)'s" }))
        }
        let names = layers.map(\.name)
        let digit = run.digits[0].digit
        let pictures = Self.ruleOrder.enumerated().flatMap { i, rule in
            parts.enumerated().map { k, part -> PictureFigure in
                let file = "sanity_\(rule.rawValue)\(part.suffix)", under = rule == .guided ? "guided backpropagation" : "the \(rule.rawValue) rule"
                let caption = i == 0 && k == 0
                    ? "Digit \(digit) under \(under): a row per condition, the input followed by " + (part.whole ? "the \(network.allMaps.count) maps." : "\(part.description).")
                    : k == 0 ? "The same under \(under)" + (part.whole ? "." : ", for \(part.description).")
                    : "The same for \(part.description)."
                return PictureFigure(fig: CrossReferences.placeholder(.figure, file), file: file, caption: caption)
            }
        }
        let random = findings.underAllRedrawn, draws = sanity.findingsPerRedrawing
        let redrawings = zip(sanity.seeds, draws).map { seed, f in
            Redrawing(seed: seed, switchesTop: number(f.switchesTop), switchesSupportTop: number(f.switchesSupportTop),
                      switchesSSIMTop: number(f.switchesSSIMTop), randomGradient: number(f.underAllRedrawn[.gradient]!),
                      randomDeconvnet: number(f.underAllRedrawn[.deconvnet]!), randomGuided: number(f.underAllRedrawn[.guided]!),
                      guidedOverGradient: Self.difference(f.guidedOverGradient), underTopRedrawn: number(f.underTopRedrawn))
        }
        let range = { (values: [Double]) in
            let (low, high) = (number(values.min()!), number(values.max()!))
            return low == high ? low : "\(low) to \(high)"
        }
        let sameReading = draws.filter { $0.switchesReading == findings.switchesReading }.count
        let guidedLeast = draws.filter(\.guidedLeastChanged).count
        context = Context(
            seed: sanity.seed, exampleDigit: run.digits[0].digit, conditions: conditions,
            conditionCount: Formatted.count(sanity.randomised.count), topTitle: cascade.first!.reportTitle,
            lowerLayers: Formatted.list(names.dropLast().map { "\($0)'s" }), allLayers: Formatted.list(names),
            allRandomised: Formatted.list(names) + (names.count == 1 ? "" : names.count == 2 ? " both" : " all") + " randomised",
            pictures: pictures, pictureFigures: Formatted.figures(pictures.map(\.file)),
            rows: rows, baselines: baselines, anySkipped: findings.skipped > 0,
            switchesTop: number(findings.switchesTop), switchesSupportTop: number(findings.switchesSupportTop),
            switchesSSIMTop: number(findings.switchesSSIMTop),
            switchesDominate: findings.switchesDominate, switchesFixLocation: findings.switchesFixLocation,
            randomGradient: number(random[.gradient]!), randomGuided: number(random[.guided]!), randomDeconvnet: number(random[.deconvnet]!),
            guidedLeastChanged: findings.guidedLeastChanged, gradientMostChanged: findings.gradientMostChanged,
            guidedOverGradient: Self.difference(findings.guidedOverGradient), guidedOverDeconvnet: Self.difference(findings.guidedOverDeconvnet),
            pairs: findings.guidedOverGradient.count,
            inputDeconvnet: number(findings.inputDeconvnet), inputIsLarge: findings.inputIsLarge,
            inputGradient: number(findings.inputGradient), inputGuidedOverGradient: Self.difference(findings.inputGuidedOverGradient),
            inputDeconvnetOverGradient: Self.difference(findings.inputDeconvnetOverGradient),
            inputPairs: findings.inputGuidedOverGradient.count, modifiedRulesRecoverInput: findings.modifiedRulesRecoverInput,
            pairwiseDeconvnet: number(findings.pairwiseDeconvnet), mapsAlike: findings.mapsAlike,
            underTopRedrawn: number(findings.underTopRedrawn),
            redrawings: redrawings, redrawingCount: Formatted.count(draws.count),
            seeds: "\(sanity.seeds.min()!) to \(sanity.seeds.max()!)",
            switchesTopRange: range(draws.map(\.switchesTop)), switchesSupportRange: range(draws.map(\.switchesSupportTop)),
            switchesReadingStable: sameReading == draws.count, switchesReadingCount: Formatted.count(sameReading),
            guidedLeastCount: guidedLeast == draws.count ? "in all \(Formatted.count(draws.count))"
                : "in \(guidedLeast == 0 ? "none" : Formatted.count(guidedLeast)) of the \(Formatted.count(draws.count))",
            guidedLeastStable: guidedLeast == 0 || guidedLeast == draws.count)
    }

    /// "0.03 (0.01 to 0.05)".
    static func difference(_ d: PairedDifference) -> String {
        "\(Formatted.decimal(d.mean, 2)) (\(Formatted.decimal(d.low, 2)) to \(Formatted.decimal(d.high, 2)))"
    }

    /// One digit's maps of a part under one rule: a row per condition.
    static func conditions(_ sanity: SanityChecks, rule: BackwardRule, input: [Float], part: MapPart) -> Keyed {
        ImageGrid.mapRows(sanity.conditions.map { condition in
            (condition.reportTitle, input, part.maps.map { sanity.projections[condition]!.projection(rule, image: 0, layer: $0.layer, map: $0.map) })
        }, maps: part.maps)
    }

    /// Mean similarity to the trained pictures, per condition and rule, with the quartiles over
    /// the image-map pairs as whiskers.
    static func chart(_ sanity: SanityChecks) -> Keyed {
        let charts = SanityComparison.Measure.allCases.map { measure in
            let groups = BackwardRule.allCases.map { rule in
                let summaries = sanity.randomised.map { sanity.comparison($0, rule).values(measure) }.map(SimilaritySummary.init)
                return BarChart.Group(name: rule.title, values: summaries.map(\.mean),
                                      spreads: summaries.map { $0.lowerQuartile...$0.upperQuartile })
            }
            // From 0, or from below the lowest whisker in tenths when a correlation is negative.
            let lowest = groups.flatMap { ($0.spreads ?? []).map(\.lowerBound) + $0.values }.filter(\.isFinite).min() ?? 0
            let label = switch measure {
            case .spearman: "Spearman (|values|)"
            case .supportSpearman: "Spearman (signed, support)"
            case .ssim: "SSIM"
            }
            return BarChart(categories: sanity.randomised.map(\.reportTitle), groups: groups, yLabel: label, size: Size(463, 140),
                            spreadName: "interquartile range", y: AxisOptions(range: min(0, (lowest * 10).rounded(.down) / 10)...1),
                            legend: .hidden)
        }
        return Stack(charts, spacing: 6).withLegend(Legend(entries: charts[0].legendEntries))
    }
}

extension SanityCondition {
    /// How the report names the condition: "trained", "conv2 random", "conv1+2 random",
    /// "conv1–3 random", "switches only".
    var reportTitle: String {
        if self == .trained { return "trained" }
        if !recomputesForward { return "switches only" }
        switch redrawn.count {
        case 1: return "conv\(redrawn[0]) random"
        case 2: return "conv\(redrawn[0])+\(redrawn[1]) random"
        default: return "conv\(redrawn.first!)–\(redrawn.last!) random"
        }
    }
}

extension BackwardRule {
    /// How the figures name the rule.
    var title: String { self == .guided ? "guided backprop." : rawValue }
}
