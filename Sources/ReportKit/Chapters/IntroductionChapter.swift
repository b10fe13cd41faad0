/// The opening: the title, what the report does and how to regenerate it.
struct IntroductionChapter: Chapter {
    struct Context {
        let title: String, subtitle: String
    }

    static let name = "introduction"
    let context = Context(title: ReportPipeline.title,
                          subtitle: "What the two convolutional layers of a small network learned, mapped back to pixels")

    init(_ run: RunResults) {}
}
