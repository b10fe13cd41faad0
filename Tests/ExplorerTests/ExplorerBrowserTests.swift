import Foundation
import Testing
import Analyses
import Deconvnet
import Explorer
import Network
import MNIST

/// The explorer page in a real browser, against the Swift engine on the same model: one harness
/// run at a phone's 390 px (every check) and one at 1280 px (the page alone).
@Suite(.enabled(if: Chromium.isInstalled, "needs Debian's chromium, which make test installs"))
struct ExplorerBrowserTests {
    /// Of each picture's largest magnitude, as the issue states it.
    static let projectionTolerance: Float = 1e-5
    static let probabilityTolerance: Float = 1e-5

    @Test func everyEmbeddedImagesProbabilitiesEqualTheEngines() throws {
        let fixture = try ExplorerFixture.shared.get(), findings = try BrowserRun.phone.get().findings
        let images = fixture.page.images
        #expect(images.count >= 1_000)
        #expect(findings.count == images.count)
        #expect(findings.indices == images.map(\.index) && findings.labels == images.map(\.label), "testImage(i) gives the embedded images in order")
        let browser = try BrowserRun.floats(findings.probabilities)
        try #require(browser.count == images.count * LeNet5.classes)
        let pixels = images.flatMap { $0.pixels.map { Float($0) / 255 } }
        let engine = fixture.model.activations(images: pixels, keeping: .logProbabilities).logProbabilities.map { exp($0) }
        let worst = browser.indices.max { abs(browser[$0] - engine[$0]) < abs(browser[$1] - engine[$1]) }!
        let difference = abs(browser[worst] - engine[worst])
        print("explorer: probabilities of \(images.count) images, largest difference \(difference)")
        #expect(difference <= Self.probabilityTolerance,
                "test image \(images[worst / 10].index), class \(worst % 10): browser \(browser[worst]), engine \(engine[worst])")
    }

    @Test func projectionsEqualTheEnginesForEveryRuleModeAndMap() throws {
        let fixture = try ExplorerFixture.shared.get(), findings = try BrowserRun.phone.get().findings
        let browser = try BrowserRun.floats(findings.projections)
        let maps = ConvLayer.allMaps, modes: [ReconstructionMode] = [.wholeMap, .strongest], side = LeNet5.inputCount
        let pictures = fixture.projected.count * modes.count * BackwardRule.allCases.count * maps.count
        try #require(browser.count == pictures * side)
        let byIndex = Dictionary(uniqueKeysWithValues: fixture.page.images.map { ($0.index, $0) })
        let images = fixture.projected.map { byIndex[$0]!.pixels.map { Float($0) / 255 } }
        let engine = modes.map { BackwardRuleProjections(model: fixture.model, digits: fixture.projected, images: images, mode: $0) }

        var worst: [Bool: (ratio: Float, what: String)] = [true: (0, ""), false: (0, "")]   // keyed by "is a report digit"
        var picture = 0
        for (k, index) in fixture.projected.enumerated() {
            for (m, mode) in modes.enumerated() {
                for rule in BackwardRule.allCases {
                    for (layer, map) in maps {
                        let expected = engine[m].projection(rule, image: k, layer: layer, map: map)
                        let actual = browser[(picture * side)..<((picture + 1) * side)]
                        picture += 1
                        let scale = expected.map(abs).max()!
                        let difference = zip(actual, expected).map { abs($0 - $1) }.max()!
                        let ratio = scale > 0 ? difference / scale : (difference == 0 ? 0 : .infinity)
                        let report = fixture.reportImages.contains(index)
                        if ratio > worst[report]!.ratio {
                            worst[report] = (ratio, "test image \(index), \(mode.rawValue), \(rule.rawValue), \(layer.rawValue) map \(map): "
                                + "largest difference \(difference), largest magnitude \(scale)")
                        }
                    }
                }
            }
        }
        print("explorer: \(picture) projections; worst for the report's digits \(worst[true]!.ratio) of the picture's largest magnitude, "
            + "for the others \(worst[false]!.ratio)")
        #expect(worst[true]!.ratio <= Self.projectionTolerance, "\(worst[true]!.what)")
        #expect(worst[false]!.ratio <= Self.projectionTolerance, "\(worst[false]!.what)")
    }

    /// The committed `Report/rules.safetensors`, when it was made with the committed model.
    static let committedRules: Safetensors? = {
        let fixture = try? ExplorerFixture.shared.get()
        guard let fixture, let rules = try? Safetensors.read(from: repository.appendingPathComponent("Report/rules.safetensors").path),
              let model = FileManager.default.contents(atPath: fixture.modelPath) else { return nil }
        return rules.metadata["model_sha256"] == SHA256.hex(model) ? rules : nil
    }()

    @Test(.enabled(if: committedRules != nil, "Report/rules.safetensors was made with Report/model.safetensors"))
    func reportDigitsProjectionsEqualTheCommittedRulesFile() throws {
        let fixture = try ExplorerFixture.shared.get(), rules = try #require(Self.committedRules)
        let browser = try BrowserRun.floats(try BrowserRun.phone.get().findings.projections)
        let perImage = 2 * BackwardRule.allCases.count * ConvLayer.allMaps.count, side = LeNet5.inputCount
        var worst: (ratio: Float, what: String) = (0, ""), compared = 0
        for (digit, index) in zip(ExplorerFixture.reportDigits, fixture.reportImages) {
            let k = fixture.projected.firstIndex(of: index)!
            for (r, rule) in BackwardRule.allCases.enumerated() {
                for (m, (layer, map)) in ConvLayer.allMaps.enumerated() {
                    guard let expected = rules["digit\(digit).\(rule.rawValue).\(layer.rawValue).\(map)"]?.values else { continue }
                    let picture = k * perImage + r * ConvLayer.allMaps.count + m   // whole-map mode comes first
                    let actual = browser[(picture * side)..<((picture + 1) * side)]
                    let scale = expected.map(abs).max()!, difference = zip(actual, expected).map { abs($0 - $1) }.max()!
                    let ratio = scale > 0 ? difference / scale : (difference == 0 ? 0 : .infinity)
                    if ratio > worst.ratio { worst = (ratio, "digit \(digit), \(rule.rawValue), \(layer.rawValue) map \(map): \(difference) of \(scale)") }
                    compared += 1
                }
            }
        }
        print("explorer: \(compared) projections against rules.safetensors, worst \(worst.ratio) of the picture's largest magnitude")
        #expect(compared == ExplorerFixture.reportDigits.count * 3 * 22, "rules.safetensors holds every report digit, rule and map")
        #expect(worst.ratio <= Self.projectionTolerance, "\(worst.what)")
    }

    @Test func aDrawingChangesThePrediction() throws {
        let drawing = try #require(try BrowserRun.phone.get().findings.drawing)
        print("explorer: prediction \(drawing.before) for “\(drawing.beforeSource)”, \(drawing.after) for “\(drawing.afterSource)” "
            + "(ink \(drawing.ink))")
        #expect(drawing.before != drawing.after, "a vertical stroke drawn over test image of a \(drawing.before) left the prediction at \(drawing.after)")
        #expect(drawing.after == drawing.computed, "the bars show what predict() gives for the prepared drawing")
        #expect(drawing.after == 1, "a vertical stroke, prepared like MNIST, reads as a 1")
        // The test set's 1s hold 36–94 pixels' worth of ink (5th to 95th percentile of the sum of byte / 255).
        #expect(drawing.ink > 36 && drawing.ink < 94, "the stroke, prepared, holds \(drawing.ink) pixels' worth of ink, not like an MNIST 1")
        #expect(drawing.inkAfterUndo == 0, "undoing the only stroke leaves an empty input")
    }

    @Test(arguments: [390, 1280])
    func noErrorsConsoleMessagesOrRequests(width: Int) throws {
        let run = try width == 390 ? BrowserRun.phone.get() : BrowserRun.desktop.get()
        #expect(run.findings.errors.isEmpty, "\(run.findings.errors)")
        #expect(run.console.isEmpty, "the page logged: \(run.console.joined(separator: " | "))")
        #expect(run.findings.resources == [], "the page loaded \(run.findings.resources ?? [])")
        #expect(run.findings.detailHeading == "3 · One map: conv2 · 15" && run.findings.topImages == 9, "a card opens its map, with 9 top images")
    }

    /// Ticked while conv2 · 15's best image is shown, “misclassified only” moves on to the next
    /// embedded image that the engine misclassifies.
    @Test func misclassifiedOnlyShowsTheNextImageTheEngineMisclassifies() throws {
        let fixture = try ExplorerFixture.shared.get(), shown = try #require(try BrowserRun.phone.get().findings.misclassified)
        print(String(format: "explorer: classifying the embedded images for “misclassified only” took %.0f ms", shown.ms))
        let wrong = fixture.page.images.filter { fixture.predictions[$0.index] != UInt8($0.label) }.map(\.index)
        let current = fixture.page.topImages[ConvLayer.conv1.maps + 15][0]
        let expected = try #require(wrong.first { $0 > current } ?? wrong.first)
        #expect(shown.source.hasPrefix("Test image \(expected),"), "“\(shown.source)”")
    }

    @Test func aTopImageOpensAndThePointerReadsValues() throws {
        let fixture = try ExplorerFixture.shared.get(), findings = try BrowserRun.phone.get().findings
        let first = fixture.page.topImages[ConvLayer.conv1.maps + 15][0]
        #expect(findings.topImageSource?.hasPrefix("Test image \(first),") == true, "clicking conv2 · 15's best image shows it: \(findings.topImageSource ?? "")")
        let tooltip = try #require(findings.tooltip)
        let shown = tooltip.text.components(separatedBy: "row 10, column 14: ").last.flatMap { Double($0.replacingOccurrences(of: "−", with: "-")) }
        #expect(tooltip.text.hasPrefix("input · row 10, column 14: ") && shown != nil, "tooltip “\(tooltip.text)”")
        #expect(abs((shown ?? .nan) - tooltip.value) <= 0.005 * max(abs(tooltip.value), 0.01), "three significant digits of \(tooltip.value)")
    }

    @Test(arguments: [390, 1280])
    func noSidewaysScrolling(width: Int) throws {
        let layout = try #require(try (width == 390 ? BrowserRun.phone.get() : BrowserRun.desktop.get()).findings.layout)
        #expect(layout.innerWidth == Double(width))
        #expect(layout.scrollWidth <= layout.innerWidth, "the page is \(layout.scrollWidth) px wide in a \(layout.innerWidth) px window")
    }

    /// The issue asks for the 22 projections of a drawn digit in well under 50 ms; the page
    /// interactive within a second is measured and printed, not asserted (it includes the machine's load).
    @Test func fastEnough() throws {
        let fixture = try ExplorerFixture.shared.get(), findings = try BrowserRun.phone.get().findings
        let timing = try #require(findings.timing)
        print(String(format: "explorer: page %.2f MB, ready %.0f ms after navigation; on a drawn digit: forward %.2f ms, 22 projections %.2f ms, "
            + "whole update with painting %.1f ms, 22 project() calls %.1f ms", Double(fixture.html.utf8.count) / 1_048_576,
            findings.readyMs ?? -1, timing.forwardMs, timing.projectionsMs, timing.updateMs, timing.apiCallsMs))
        #expect(timing.projectionsMs < 50)
    }
}
