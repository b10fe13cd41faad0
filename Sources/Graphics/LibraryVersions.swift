import CCairo
import CPangoCairo

extension Canvas {
    /// The C libraries figures are drawn with.
    public static var libraryVersions: [(name: String, version: String)] {
        [("Cairo", String(cString: cairo_version_string())), ("Pango", String(cString: pango_version_string()))]
    }
}
