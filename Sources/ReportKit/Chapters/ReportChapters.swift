import Network
import Writeup

/// The writeup's chapters and what every template reads.
struct ReportChapters {
    /// The chapters in reading order, one line each: section numbers, the templates' order, the
    /// figures, the tables and the contents all follow this list.
    static var all: [any Chapter.Type] { [
        IntroductionChapter.self,
        DataChapter.self,
        ArchitectureChapter.self,
        TrainingChapter.self,
        AccuracyChapter.self,
        FiltersChapter.self,
        DeconvnetChapter.self,
        ReconstructionsChapter.self,
        TopActivationsChapter.self,
        EvolutionChapter.self,
        InvarianceChapter.self,
        OcclusionChapter.self,
        RulesChapter.self,
        SanityChapter.self,
        AttributionsChapter.self,
        ConclusionChapter.self,
        ReproducibilityChapter.self,
        ReferencesChapter.self,
    ] }

    /// The templates' names in order, each chapter's section number the position here.
    static var names: [String] { all.map { $0.name } }
    static var sectionNumbers: [String: Int] { Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0 + 1) }) }

    let chapters: [any Chapter]
    let shared: SharedContext
    /// Every chapter's figures, in reading order (built once: drawing and typesetting share them).
    let figures: [NamedFigure]

    /// The chapters are built side by side on `threads` threads: each draws its own figures.
    init(_ run: RunResults, threads: Int = 2) {
        let all = Self.all
        chapters = parallelMap(all.count, threads: threads) { all[$0].init(run) }
        shared = SharedContext(run)
        figures = chapters.flatMap(\.figures)
    }

    var tables: [String] { chapters.flatMap(\.tables) }

    /// The chapter of type `C`.
    func chapter<C: Chapter>(_ type: C.Type) -> C { chapters.lazy.compactMap { $0 as? C }.first! }

    /// The templates' context: each chapter's under its name, the run's shared facts, and the
    /// figure, table and section numbers.
    var context: [String: Any] {
        var context: [String: Any] = [
            "fig": Dictionary(uniqueKeysWithValues: figures.map { ($0.name, CrossReferences.placeholder(.figure, $0.name)) }),
            "tab": Dictionary(uniqueKeysWithValues: tables.map { ($0, CrossReferences.placeholder(.table, $0)) }),
            "sec": Self.sectionNumbers,
            // A section's placeholder: its anchor in its own heading, a link to it anywhere else.
            "section": Dictionary(uniqueKeysWithValues: Self.names.map { ($0, CrossReferences.placeholder(.section, $0)) }),
            "model": shared.model,
            "counts": shared.counts,
        ]
        for chapter in chapters { context[type(of: chapter).name] = chapter.context }
        return context
    }
}
