import CCairo
import CPangoCairo
import CPNG

extension Canvas {
    /// The C libraries figures are drawn and encoded with.
    public static var libraryVersions: [(name: String, version: String)] {
        [("Cairo", String(cString: cairo_version_string())), ("Pango", String(cString: pango_version_string())),
         ("libpng", String(cString: png_get_libpng_ver(nil)))]
    }
}
