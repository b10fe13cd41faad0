/// A failure of `report bench`, reported on one line.
public struct BenchmarkError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
