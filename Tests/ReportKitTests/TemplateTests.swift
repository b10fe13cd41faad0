import Foundation
import Testing
import Writeup
@testable import ReportKit

/// The real templates against the real contexts: a tag that resolves to nothing fails the render
/// (Templates.render checks every tag), so a renamed field cannot blank a sentence.
@Suite struct TemplateTests {
    static let templates = repository.appendingPathComponent("Templates").path

    @Test(arguments: ["trained", "loaded", "normalized"])
    func everyTagResolves(_ fixture: String) throws {
        let run = fixture == "trained" ? Fixture.trained : fixture == "loaded" ? Fixture.loaded : Fixture.normalized
        let context = ReportChapters(run).context
        let markdown = try Templates(directory: Self.templates, sections: ReportChapters.names).render(context)
        #expect(!markdown.contains("{{") && !markdown.contains("}}"))
        #expect(markdown.contains(fixture == "trained" ? "The model was trained by this run" : "The weights were loaded from"))
        if fixture == "normalized" {
            for phrase in ["the network sees it normalised,\n(x − 0.1307) / 0.3081, as `--normalize` asks", "in the network's normalised input space",
                           "**That is implausibly low for a trained LeNet-5**", "`--normalize 0 1`, no normalisation"] {
                #expect(markdown.contains(phrase), "\(phrase)")
            }
        }
    }

    @Test func everyFigureIsShownAndEveryShownFigureDrawn() throws {
        let chapters = ReportChapters(Fixture.trained)
        let markdown = try Templates(directory: Self.templates, sections: ReportChapters.names).render(chapters.context)
        let shown = Set(markdown.matches(of: /\]\(figures\/([a-z0-9_]+)\.svg\)/).map { String($0.1) })
        #expect(shown == Set(chapters.figures.map(\.name)))
    }
}
