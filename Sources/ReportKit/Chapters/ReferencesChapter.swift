/// The works the text cites, each entry an anchor that its citations link to. The entries are
/// prose, in the template; what the chapter adds is nothing the run computed.
struct ReferencesChapter: Chapter {
    struct Context {}

    static let name = "references"
    let context = Context()

    init(_ run: RunResults) {}
}
