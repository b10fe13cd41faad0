/// One section of the writeup, built from what the run computed: the figures it draws and the
/// typed values its template reads. Its `name` ties it together: the template is
/// `Templates/NN-<name>.md.mustache`, which reads the context as `{{<name>.field}}` and the
/// section's number as `{{sec.<name>}}`.
///
/// Adding a chapter takes three files (the computation in the library it belongs to, a chapter
/// file here, a template) and one line in `ReportChapters.all`.
protocol Chapter {
    associatedtype Context
    static var name: String { get }
    init(_ run: RunResults)
    /// The figures, in drawing order, named as their files under figures/.
    var figures: [NamedFigure] { get }
    /// The numbered tables the template captions, by the names it uses under `tab`.
    var tables: [String] { get }
    var context: Context { get }
}

extension Chapter {
    var figures: [NamedFigure] { [] }
    var tables: [String] { [] }
}
