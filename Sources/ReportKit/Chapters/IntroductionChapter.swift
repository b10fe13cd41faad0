import Analyses

/// The opening: the title page (title, date and commit, an abstract whose sentences are chosen
/// from the results), what the report does and how to regenerate it.
struct IntroductionChapter: Chapter {
    struct Context {
        let title: String, subtitle: String
        /// The day and commit of the code that wrote the report, when it is a git checkout.
        let date: String?, commit: String
        /// What the abstract says, each chosen by the finding it summarises; with the shares of
        /// the first and last layers' best images that carry a map's label, and of random images.
        let deepestMoreSelective: Bool
        let firstPurity: String, lastPurity: String, chancePurity: String, bestCount: String
        /// "deeper" for two layers, "deepest" for more.
        let deeper: String
        let inkMattersEverywhere: Bool
        /// Otherwise the digits where it does ("digit 3", nil for none) and those where it does not.
        let inkMatters: String?, inkIgnored: String
        let switchesDominate: Bool, switchesFixLocation: Bool, switchesTop: String, switchesSupportTop: String
    }

    static let name = "introduction"
    let context: Context

    init(_ run: RunResults) {
        let sanity = run.analyses.sanity.findings, occlusion = run.analyses.occlusion.findings.digits
        let top = run.analyses.topFindings
        func digits(_ ds: [Occlusion.Findings.Digit]) -> String {
            (ds.count == 1 ? "digit " : "digits ") + Formatted.list(ds.map { "\($0.digit)" })
        }
        let (matters, ignored) = (occlusion.filter(\.inkMatters), occlusion.filter { !$0.inkMatters })
        let layers = run.network.convolutionalLayers.count
        context = Context(
            title: ReportPipeline.title(run.network),
            subtitle: "What the " + (layers == 1 ? "convolutional layer" : "\(Formatted.count(layers)) convolutional layers")
                + " of a small network learned, mapped back to pixels",
            date: run.provenance.commitDate, commit: run.provenance.commit,
            deepestMoreSelective: top.deepestMoreSelective,
            firstPurity: Formatted.percent(top.layers.first!.labelPurity, digits: 0),
            lastPurity: Formatted.percent(top.layers.last!.labelPurity, digits: 0),
            chancePurity: Formatted.percent(top.chance.last!.mean, digits: 0), bestCount: Formatted.count(top.layers.last!.entries / top.layers.last!.maps),
            deeper: layers == 2 ? "deeper" : "deepest",
            inkMattersEverywhere: ignored.isEmpty, inkMatters: matters.isEmpty ? nil : digits(matters), inkIgnored: digits(ignored),
            switchesDominate: sanity.switchesDominate, switchesFixLocation: sanity.switchesFixLocation,
            switchesTop: Formatted.decimal(sanity.switchesTop, 2), switchesSupportTop: Formatted.decimal(sanity.switchesSupportTop, 2))
    }
}
