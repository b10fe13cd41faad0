/// Why the explorer page could not be made, in one line.
public struct ExplorerError: Error, CustomStringConvertible, Equatable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
