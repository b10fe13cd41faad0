/// One section of the writeup, built from what the run computed: the figures it draws and the
/// typed values its template (`Templates/NN-name.md.mustache`) reads.
///
/// Adding a chapter takes three files: the computation in the library it belongs to, a chapter
/// file here, and a template; then one line each in `ReportChapters` and `ReportContext`.
protocol Chapter {
    associatedtype Context
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
