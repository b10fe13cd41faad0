@testable import Analyses
import Foundation
import Network
import Testing
import Writeup
@testable import ReportKit

/// The whole writeup under other `--digits`: every count it states is this run's, and every
/// sentence chosen from a finding is the one the finding picks.
@Suite(.serialized) struct ProseTests {
    /// The Markdown of a run, with its whitespace folded so that phrases can span template lines.
    static func prose(_ run: RunResults) throws -> String { try prose(ReportChapters(run).context) }

    /// "±1 row", "±2 rows".
    static func rows(_ shift: Double) -> String { "±\(Int(shift)) row\(Int(shift) == 1 ? "" : "s")" }

    static func prose(_ context: [String: Any]) throws -> String {
        let markdown = CrossReferences.resolve(try Templates(directory: TemplateTests.templates, sections: ReportChapters.names).render(context))
        return markdown.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test(arguments: [[4], [3, 7], Array(0...9)])
    func countsAreThisRunsAndSentencesFollowTheFindings(_ digits: [Int]) throws {
        let run = Fixture.trained(digits: digits)
        let text = try Self.prose(run)
        let n = digits.count, number = Formatted.count(n)

        // Counts.
        for phrase in ["what the maps make of \(n == 1 ? "one image" : "\(number) images")", "over the \(22 * n) digit-map pairs",
                       "mean over the \(16 * n) digit-map pairs", "mean over conv2's \(16 * n) pairs alone", "over the \(22 * n) pairs"] {
            #expect(text.contains(phrase), "\(digits): missing “\(phrase)”")
        }
        #expect(text.contains(n == 1 ? "For the digit \(digits[0]) this section" : "For each of the digits \(digits.dropLast().map(String.init).joined(separator: ", ")) and \(digits.last!) this section"))
        let section = ReportChapters.sectionNumbers["reconstructions"]!
        #expect(text.components(separatedBy: "### \(section).").count - 1 == n, "one subsection per digit")
        for stale in ["four images", "All four digits", "all four digits", "88 digit-map", "64 digit-map", "88 pairs", "64 pairs"] {
            #expect(!text.contains(stale), "\(digits): “\(stale)” is the default run's count")
        }
        let all = n == 1 ? "Digit \(digits[0]) keeps its" : n == 2 ? "Both digits keep their" : "All \(number) digits keep their"
        // The invariance sentence's three branches, each present exactly when the findings pick it.
        let inv = run.analyses.invariance.findings, flat = text.replacingOccurrences(of: "\n", with: " ")
        let held = [inv.commonShift > 0, inv.commonScale.lowerBound < inv.commonScale.upperBound, inv.commonRotation > 0]
        let (keptAll, anyKept) = (!held.contains(false), held.contains(true))
        let kept = flat.range(of: "\(all) label for ").map { String(flat[$0.upperBound...].prefix(120)) }
        #expect((kept != nil) == anyKept, "\(digits): “\(all) label for …” should \(anyKept ? "" : "not ")appear")
        #expect((kept?.contains(", but") ?? false) == (anyKept && !keptAll), "\(digits): the partial sentence: \(kept ?? "none")")
        #expect(flat.contains("\(all) label for shifts of \(Self.rows(inv.commonShift)), scales of") == keptAll, "\(digits): \(kept ?? "none")")
        #expect(flat.contains("For this model, the smallest shift, scaling and rotation") == !anyKept)

        // Sentences, each present exactly when its finding says so.
        let a = run.analyses
        let (top, invariance, occlusion) = (a.topFindings, a.invariance.findings, a.occlusion.findings)
        let (rules, sanity, explanations) = (a.sanity.rules.findings, a.sanity.findings, a.explanations.findings)
        let evolution = try #require(a.evolution).findings
        let draws = a.sanity.findingsPerRedrawing, guidedLeast = draws.filter(\.guidedLeastChanged).count
        // (the finding, the sentence it picks, the one it rules out when there is one)
        let choices: [(Bool, String, String?)] = [
            (top.deepestMoreSelective, "conv2's maps are the more selective for one digit", "These counts do not show conv2's maps as more selective"),
            (invariance.digits.contains { $0.halfTurn == .keepsSymmetric }, "upside down as themselves, rightly", nil),
            (invariance.digits.contains { $0.halfTurn == .losesSymmetric }, "although the turned shape is still the digit's own", nil),
            (invariance.digits.contains { $0.halfTurn == .ignoresTurn }, "it does not register the turn", nil),
            (invariance.layers.contains { $0.highMovesLess }, "Relative to unrelated images, fc2 moves less than pool1 under", nil),
            (invariance.layers.contains { !$0.highMovesLess }, "fc2 moves at least as far as pool1, unlike their network", nil),
            (occlusion.allInkMatters, "the network is looking at the digit", nil),
            (rules.firstLayerAllIdentical, "For conv1's maps the three rules give identical pictures", "of conv1's \(rules.totals[0]) pictures are identical"),
            (rules.guidedCloserToDeconvnet, "guided backpropagation looks more like the deconvnet", "guided backpropagation looks more like the plain gradient"),
            (sanity.switchesDominate, "largely decided by where the maxima were", nil),
            (sanity.switchesFixLocation, "the switches fix where a picture lies, its coarse location", nil),
            (!sanity.switchesDominate && !sanity.switchesFixLocation, "not the switches alone, shape them", nil),
            (rules.blank.values.contains { $0 > 0 }, "some are blank (the map silent on that image)", "None of the"),
            (RulesChapter.reluBeforeMaxPool(run.network), "Below the top layer every ReLU is followed directly by a max-pool", nil),
            (run.mode == .wholeMap, "it is the gradient of ½‖*h*‖², half the map's squared norm", nil),
            (sanity.guidedLeastChanged, "guided backpropagation changes least", "guided backpropagation is not shown to change least"),
            (draws.allSatisfy { $0.switchesReading == sanity.switchesReading }, "every draw supports the same reading of the switches",
             "so it depends on the draw and is not a finding about the switches"),
            (guidedLeast == 0 || guidedLeast == draws.count, "the same answer as seed", "so whether it changes least depends on the draw"),
            (sanity.inputIsLarge, "A good part of each picture is the input itself", "The deconvnet pictures are not mainly the input"),
            (sanity.modifiedRulesRecoverInput, "As Nie et al. predict, the two modified rules stay nearer the input",
             "recover the input while the gradient does not; here that is not shown"),
            (sanity.mapsAlike, "pictures of one image resemble each other", "pictures of one image differ from each other"),
            (explanations.clearlyBestByDeletion, "By deletion, the most faithful here is", "has the lowest mean area, but not clearly ahead of"),
            (explanations.clearlyBestByInsertion, "By insertion, the most faithful here is", "has the highest mean area, but not clearly ahead of"),
            (explanations.allBeatRandom, "Every method beats the random order on average by both scores", "no better than the random order"),
            (explanations.agreesWithAdebayo, "As Adebayo et al. found, the gradient", nil),
            (!explanations.agreesWithAdebayo && explanations.guidedChangesLeast, "guided backpropagation changes least of the three", nil),
            (!explanations.agreesWithAdebayo && !explanations.guidedChangesLeast, "this model does not repeat that", nil),
            (explanations.completenessIsTheWeights, "shortfall that Captum's trapezoid weights give", "what 64 points make of the path integral"),
            (explanations.bestPassingByDeletion != nil && explanations.bestPassingByInsertion != nil,
             "that both tests support best", "none is supported by both tests"),
            (explanations.failing.isEmpty, "Here every method passes", nil),
            (!explanations.inputLike.isEmpty, "what survives the randomisation there is mostly the picture of the digit", nil),
            (evolution.order == .lowerFirst, "By both measures the lower layer settles first", nil),
            (evolution.order == .notLowerFirst, "By neither measure does the lower layer settle first", nil),
            (evolution.order == .disagree, "The two measures disagree", nil),
            (run.obtained.options?.schedule == .cosine, "every layer comes to rest at the end anyway", nil),
        ]
        for (holds, ifTrue, ifFalse) in choices {
            #expect(text.contains(ifTrue) == holds, "\(digits): “\(ifTrue)” should \(holds ? "" : "not ")appear")
            if let ifFalse { #expect(text.contains(ifFalse) == !holds, "\(digits): “\(ifFalse)” should \(holds ? "not " : "")appear") }
        }
        #expect(text.contains("no more than chance would give") == !occlusion.inFieldBeyondChance)
        #expect(text.contains("with the square inside its strongest unit's receptive field for \(occlusion.inFieldCount) of \(n) digits"))
        let inkIgnored = occlusion.digits.filter { !$0.inkMatters }.map(\.digit)
        #expect(text.contains("no more confidence than hiding the paper for any digit shown") == (inkIgnored.count == n))
        if let first = inkIgnored.first, inkIgnored.count < n {
            #expect(text.contains("but not for digit\(inkIgnored.count > 1 ? "s" : "") \(first)"), "\(digits): the abstract should name the digits \(inkIgnored)")
        }
        if let history = run.obtained.history {
            let curves = TrainingCurves(history.epochs)
            #expect(text.contains("so by this measure the last epochs did not overfit") == curves.endsNearLowest)
            #expect(text.contains("by this measure the later epochs overfit") == !curves.endsNearLowest)
            #expect(text.contains("a gap of \(Formatted.decimal(curves.gap, 2)) percentage points"))
            #expect(text.components(separatedBy: "The test loss rises after epoch").count - 1 == curves.rises.count)
        }
        #expect(text.contains("over the first \(explanations.images) test images"), "the faithfulness states how many images")
        // The abstract and the conclusion name the best method by each score, once if it is the same.
        let (byDeletion, byInsertion) = (explanations.bestByDeletion.name, explanations.bestByInsertion.name)
        #expect(text.components(separatedBy: "\(byDeletion) has the lowest deletion area").count - 1 == 2)
        #expect(text.components(separatedBy: "\(byInsertion) has the highest insertion area").count - 1 == (byDeletion == byInsertion ? 0 : 2),
                "\(digits): \(byInsertion) is named \(byDeletion == byInsertion ? "again" : "")")
        for layer in run.network.convolutionalLayers {
            let preferring = a.parts.maps.filter { $0.layer == layer && $0.prefersAPart }.count, maps = Formatted.count(layer.maps)
            #expect(text.contains("Of \(layer.name)'s \(maps) maps, \(Formatted.count(preferring)) \(preferring == 1 ? "does" : "do"):")
                    == (preferring > 0), "\(layer.name): \(preferring) maps look at one part")
            #expect(text.contains("None of \(layer.name)'s \(maps) maps does; their peaks spread over the digit") == (preferring == 0))
        }
        for (seed, draw) in zip(a.sanity.seeds, draws) {
            #expect(text.contains("| \(seed) | \(Formatted.decimal(draw.switchesTop, 2)) | \(Formatted.decimal(draw.switchesSupportTop, 2)) |"),
                    "the table's row for seed \(seed)")
        }
        // A number each sentence quotes is its finding's.
        #expect(text.contains("between gradient and deconvnet") && text.contains("is \(Formatted.decimal(rules.gradientDeconvnet.last!, 2)) between gradient and deconvnet"))
        #expect(text.contains("shifts of \(Self.rows(invariance.commonShift))") == (invariance.commonShift > 0))
        #expect(!text.contains("shifts of ±0 rows") && !text.contains("rotations of ±0°"), "a range of nothing is not stated as one")
        try Self.expectConclusionFollowsTheFindings(run, text: text)
    }

    /// The conclusion's summary: each sentence present exactly when the finding its chapter's
    /// sentence is chosen by says so, each number the finding's, beside its baseline.
    static func expectConclusionFollowsTheFindings(_ run: RunResults, text: String) throws {
        let start = try #require(text.range(of: "<a id=\"section-conclusion\"></a>"))
        let end = try #require(text.range(of: "## ", range: start.upperBound..<text.endIndex))
        let conclusion = text[start.upperBound..<end.lowerBound]
        let a = run.analyses, digits = run.digits.map(\.digit)
        let (top, invariance, occlusion) = (a.topFindings, a.invariance.findings, a.occlusion.findings)
        let (rules, sanity, explanations) = (a.sanity.rules.findings, a.sanity.findings, a.explanations.findings)
        let evolution = try #require(a.evolution).findings
        let selective = top.layers.indices.filter(top.aboveChance).count
        let held = [invariance.commonShift > 0, invariance.commonScale.lowerBound < invariance.commonScale.upperBound,
                    invariance.commonRotation > 0]
        let inkMatters = occlusion.digits.filter(\.inkMatters).count
        let bestPassing = explanations.bestPassingByDeletion != nil && explanations.bestPassingByInsertion != nil
        let choices: [(Bool, String)] = [
            (selective == top.layers.count, "The maps of both convolutional layers are selective for digits beyond chance"),
            (selective == 0, "No layer's maps are shown to be selective for digits beyond chance"),
            (selective > 0 && selective < top.layers.count, "Not every layer's maps are selective for digits beyond chance"),
            (top.deepestMoreSelective, "conv2's maps are the more selective, though its units also see more of the digit"),
            (!top.deepestMoreSelective, "the counts do not show conv2's maps as the more selective"),
            (occlusion.allInkMatters, ", hiding the strokes costs more confidence in the right digit than hiding the paper,"),
            (inkMatters > 0 && !occlusion.allInkMatters, "than hiding the paper for digit"),
            (inkMatters == 0, "For no digit shown does hiding the strokes cost more"),
            (occlusion.inFieldBeyondChance, ": beyond chance)"),
            (!occlusion.inFieldBeyondChance, ": within chance)"),
            (rules.firstLayerAllIdentical, "agree on every picture of conv1's maps"),
            (!rules.firstLayerAllIdentical, "agree on \(rules.identical[0]) of conv1's \(rules.totals[0]) pictures"),
            (rules.guidedCloserToDeconvnet, "closer to the deconvnet (Spearman \(Formatted.decimal(rules.guidedDeconvnet.last!, 2)))"),
            (!rules.guidedCloserToDeconvnet, "closer to the gradient (Spearman \(Formatted.decimal(rules.gradientGuided.last!, 2)))"),
            (sanity.switchesDominate, "the switches largely decide the pictures"),
            (sanity.switchesFixLocation, "the switches fix where a picture lies, the learned filters what it shows there"),
            (!sanity.switchesDominate && !sanity.switchesFixLocation, "the learned filters shape them"),
            (bestPassing, "of those that also beat the random order"),
            (!bestPassing, "none is supported by both tests"),
            (evolution.order == .lowerFirst, "by both its weights and its favourite images, as in the paper"),
            (evolution.order == .notLowerFirst, "by neither its weights nor its favourite images, unlike in the paper"),
            (evolution.order == .disagree, "as in the paper, is not shown"),
            (!held.contains(false), "label for shifts of \(Self.rows(invariance.commonShift)), scales of"),
            (held.contains(true) && held.contains(false), "but the smallest"),
            (!held.contains(true), "The smallest shift, scaling and rotation already change a label"),
            (run.mode == .wholeMap, "*Whole maps.*"),
            (run.mode != .wholeMap, "*Single activations.*"),
            (RulesChapter.reluBeforeMaxPool(run.network), "because every ReLU below the top feeds a max-pool"),
        ]
        for (holds, phrase) in choices {
            #expect(conclusion.contains(phrase) == holds, "\(digits): “\(phrase)” should \(holds ? "" : "not ")appear")
        }
        // Each number beside its baseline: the most common digit's share, random images' labels, random centres.
        let counts = run.data.test.classCounts, majority = counts.indices.max { counts[$0] < counts[$1] }!
        // (The prose's folded whitespace turned each no-break space into a space.)
        let percent = { (x: Double, digits: Int) in Formatted.percent(x, digits: digits).replacingOccurrences(of: "\u{00A0}", with: " ") }
        for phrase in ["would score \(percent(Double(counts[majority]) / Double(counts.reduce(0, +)), 2))",
                       "share a label \(percent(top.layers.last!.labelPurity, 0)) of the time, a conv1 map's "
                           + "\(percent(top.layers.first!.labelPurity, 0)), random images \(percent(top.chance.last!.mean, 0))",
                       "for \(occlusion.inFieldCount) of \(digits.count) digits, against \(Formatted.decimal(occlusion.expectedInField, 1))"
                           + " expected by chance (\(occlusion.inFieldCount) or more with probability",
                       "rank correlation of \(Formatted.decimal(sanity.switchesTop, 2)) in absolute values",
                       "\(explanations.passing.isEmpty ? "none" : Formatted.count(explanations.passing.count)) of the nine pass",
                       "Ink is a pixel of at least \(Occlusion.Findings.ink)", "must cost \(Occlusion.Findings.margin) more probability",
                       "above the \(TopActivations.ChancePurity.percentile)th percentile",
                       "below a probability of \(Occlusion.Findings.chanceLevel)",
                       "from a rank correlation of \(SanityChecks.Findings.switchesDominateAt)",
                       "mean filter cosine of \(FeatureEvolution.Findings.cosineThreshold)"] {
            #expect(conclusion.contains(phrase), "\(digits): the conclusion lacks “\(phrase)”")
        }
    }

    /// The evolution chapter's sentence on synthetic findings: one for each answer of the two
    /// measures, with when each layer settles by each; the schedule's sentence only under the
    /// cosine schedule. (The layers settle from the checkpoint given, nil: not before the last.)
    @Test(arguments: [([0, 2], [1, nil], "By both measures the lower layer settles first"),
                      ([nil, 1], [2, 2], "By neither measure does the lower layer settle first"),
                      ([2, 0], [0, 1], "The two measures disagree: by its weights the lower layer settles first, by its favourite images it does not"),
                      ([0, nil], [1, 1], "The two measures disagree: by its favourite images the lower layer settles first, by its weights it does not")]
          as [([Int?], [Int?], String)])
    func evolutionSentenceFollowsBothMeasures(images: [Int?], filters: [Int?], sentence: String) throws {
        // Four checkpoints, the last the final model: a layer keeps its image, or its filters
        // their direction, from its checkpoint on.
        let findings = FeatureEvolution.Findings((0...3).map { i -> FeatureEvolution.Findings.Measured in
            func from(_ at: Int?) -> Bool { i == 3 || at.map { i >= $0 } ?? false }
            return (i + 1, images.map { [from($0) ? 7 : i] }, [[1], [1]], [[0], [0]], filters.map { [from($0) ? 1 : 0.5] })
        })
        let chapters = ReportChapters(Fixture.trained)
        var context = chapters.context, run = try #require(chapters.chapter(EvolutionChapter.self).context.run)
        func phrase(_ at: Int?, _ none: String) -> String { at.map { "from step \($0 + 1) on" } ?? none }
        for schedule in LearningRateSchedule.allCases {
            run.settling = EvolutionChapter.settling(findings, names: ["step 1", "step 2", "step 3", "step 4"],
                                                     layers: Fixture.trained.network.convolutionalLayers, schedule: schedule)
            context["evolution"] = EvolutionChapter.Context(run: run)
            let text = try Self.prose(context)
            #expect(text.contains(sentence))
            for other in ["By both measures", "By neither measure", "The two measures disagree"] where !sentence.hasPrefix(other) {
                #expect(!text.contains(other), "“\(other)” beside “\(sentence)”")
            }
            let (first, none) = ("at no earlier checkpoint", "at none")
            let when = "By favourite images conv1 settles \(phrase(images[0], first)) and conv2 \(phrase(images[1], none)); "
                + "by weights conv1 settles \(phrase(filters[0], first)) and conv2 \(phrase(filters[1], none))."
            #expect(text.contains(when), "\(when)")
            #expect(text.contains("every layer comes to rest at the end anyway") == (schedule == .cosine), "\(schedule)")
        }
    }

    /// The invariance chapter's layer comparison on made-up numbers: each transform in the sentence
    /// its numbers choose, both ways; none for a network whose two outputs are one layer's.
    @Test(arguments: [([true, true, true], "Relative to unrelated images, fc2 moves less than pool1 under shifts (0.25 against 0.50), "
                        + "scaling (0.25 against 0.50) and rotation (0.25 against 0.50), as in their network."),
                      ([false, true, false], "Relative to unrelated images, fc2 moves less than pool1 under scaling (0.25 against 0.50), "
                        + "as in their network. Under shifts (0.75 against 0.50) and rotation (0.75 against 0.50), fc2 moves at least as "
                        + "far as pool1, unlike their network."),
                      ([false, false, false], "the numbers in brackets are fc2's against pool1's. Under shifts (0.75 against 0.50), "
                        + "scaling (0.75 against 0.50) and rotation (0.75 against 0.50), fc2 moves at least as far as pool1, "
                        + "unlike their network."),
                      ([], nil)] as [([Bool], String?)])
    func invarianceLayerSentenceFollowsTheNumbers(highMovesLess: [Bool], sentence: String?) throws {
        let layers = zip(Invariance.Transform.allCases, highMovesLess).map { t, less in
            Invariance.Findings.LayerComparison(transform: t, low: 0.5, high: less ? 0.25 : 0.75)
        }
        let chapters = ReportChapters(Fixture.trained)
        var context = chapters.context, invariance = chapters.chapter(InvarianceChapter.self).context
        invariance.comparison = InvarianceChapter.Comparison(layers)
        context["invariance"] = invariance
        let text = try Self.prose(context)
        if let sentence { #expect(text.contains(sentence)) }
        #expect(text.contains("Relative to unrelated images,") == highMovesLess.contains(true))
        #expect(text.contains("moves at least as far as") == highMovesLess.contains(false))
        #expect(text.contains("Zeiler and Fergus found that small transformations") == !layers.isEmpty)
    }

    /// Section numbers come from the chapter list, so a reference cannot point at the wrong section,
    /// and every reference is a link to its heading's anchor.
    @Test func sectionReferencesFollowTheChapterList() throws {
        let text = try Self.prose(Fixture.trained)
        let number = ReportChapters.sectionNumbers
        #expect(text.contains("as in [section \(number["top9"]!)](#section-top9)"))
        #expect(text.contains("Every picture of [section \(number["reconstructions"]!)](#section-reconstructions) and [section \(number["rules"]!)](#section-rules) is made again"))
        for (name, n) in number where name != "references" {
            #expect(text.contains("## \(n). ") && text.contains("<a id=\"section-\(name)\"></a>"), "no heading numbered \(n) (\(name))")
        }
    }

    /// The text refers to every figure and table it shows, by a link, and every link it makes
    /// (to a figure, table, section or cited work) has its anchor; every cited work is listed.
    @Test(arguments: ["trained", "loaded"])
    func everyFigureAndTableIsReferredToAndEveryLinkLands(_ fixture: String) throws {
        let text = try Self.prose(fixture == "trained" ? Fixture.trained : Fixture.loaded)
        let anchors = Set(text.matches(of: /<a id="([\w-]+)"><\/a>/).map { String($0.1) })
        let links = text.matches(of: /\]\(#([\w-]+)\)/).map { String($0.1) }
        for anchor in anchors where anchor.hasPrefix("figure-") || anchor.hasPrefix("table-") {
            #expect(links.contains(anchor), "\(anchor) is shown but never referred to")
        }
        for link in Set(links) { #expect(anchors.contains(link), "a link to #\(link), which has no anchor") }
        let cited = Set(links.filter { $0.hasPrefix("ref-") }), listed = Set(anchors.filter { $0.hasPrefix("ref-") })
        #expect(cited == listed, "cited but not listed: \(cited.subtracting(listed)); listed but not cited: \(listed.subtracting(cited))")
    }

    /// The chapter list and the template files agree: one template per chapter, in the same order.
    @Test func templatesFollowTheChapterList() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TemplateTests.templates).filter { $0.hasSuffix(".md.mustache") }.sorted()
        let names = files.map { String($0.dropLast(".md.mustache".count).drop { $0 != "-" }.dropFirst()) }
        #expect(names == ReportChapters.names)
    }
}
