/// A small raster image as Cairo's premultiplied ARGB32 pixels, row-major.
public struct PixelImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt32]

    public init(width: Int, height: Int, pixels: [UInt32]) {
        precondition(pixels.count == width * height, "a \(width) × \(height) image needs \(width * height) pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Values mapped to colours one by one (opaque colours only).
    public init(width: Int, height: Int, values: [Float], colors: (Float) -> Color) {
        self.init(width: width, height: height, pixels: values.map { Self.pack(colors($0)) })
    }

    static func pack(_ c: Color) -> UInt32 {
        func byte(_ v: Double) -> UInt32 { UInt32((min(max(v, 0), 1) * 255).rounded()) }
        return 0xFF00_0000 | byte(c.red) << 16 | byte(c.green) << 8 | byte(c.blue)
    }
}
