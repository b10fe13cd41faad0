import CCmarkGFM

extension Typesetter {
    /// The Markdown parser the writeup is typeset with.
    public static var libraryVersions: [(name: String, version: String)] {
        [("cmark-gfm", String(cString: cmark_version_string()))]
    }
}
