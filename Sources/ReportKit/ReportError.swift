/// A failure the command line reports on one line.
public struct ReportError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
