/// A figure or document that Cairo or libpng could not draw or encode, in one line.
public struct RenderingError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

