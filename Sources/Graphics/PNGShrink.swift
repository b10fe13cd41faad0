import CCairo
import Foundation

/// Undoes an integer upscaling of a PNG: figures repeat each pixel of a small image a whole
/// number of times in their SVGs (viewers smooth images), and a page that draws images with
/// `image-rendering: pixelated` needs only the original pixels.
public enum PNGShrink {
    /// The PNG at its original size when every pixel of `png` is one of k × k equal blocks
    /// (k > 1, the largest such), else nil.
    public static func shrunk(_ png: Data) -> Data? {
        let source = PNGBytes(png)
        let closure = Unmanaged.passUnretained(source).toOpaque()
        guard let surface = cairo_image_surface_create_from_png_stream(readFromBytes, closure) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else { return nil }
        let (width, height) = (Int(cairo_image_surface_get_width(surface)), Int(cairo_image_surface_get_height(surface)))
        let rowBytes = Int(cairo_image_surface_get_stride(surface))
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24 else { return nil }
        func pixel(_ x: Int, _ y: Int) -> UInt32 { UnsafeRawPointer(data + y * rowBytes).load(fromByteOffset: 4 * x, as: UInt32.self) }
        func isUpscaled(by k: Int) -> Bool {
            guard width % k == 0, height % k == 0 else { return false }
            for y in 0..<height {
                for x in 0..<width where pixel(x, y) != pixel(x - x % k, y - y % k) { return false }
            }
            return true
        }
        guard let factor = (2...max(2, min(width, height))).reversed().first(where: isUpscaled) else { return nil }
        let small = cairo_image_surface_create(format, Int32(width / factor), Int32(height / factor))!
        defer { cairo_surface_destroy(small) }
        cairo_surface_flush(small)
        guard let target = cairo_image_surface_get_data(small) else { return nil }
        let smallStride = Int(cairo_image_surface_get_stride(small))
        for y in 0..<(height / factor) {
            for x in 0..<(width / factor) {
                UnsafeMutableRawPointer(target + y * smallStride).storeBytes(of: pixel(x * factor, y * factor), toByteOffset: 4 * x, as: UInt32.self)
            }
        }
        cairo_surface_mark_dirty(small)
        let sink = PNGBytes(Data())
        guard cairo_surface_write_to_png_stream(small, appendToBytes, Unmanaged.passUnretained(sink).toOpaque()) == CAIRO_STATUS_SUCCESS else { return nil }
        return sink.data
    }
}

private final class PNGBytes {
    var data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }
}

private let readFromBytes: cairo_read_func_t = { closure, buffer, length in
    let source = Unmanaged<PNGBytes>.fromOpaque(closure!).takeUnretainedValue()
    let count = Int(length)
    guard source.offset + count <= source.data.count else { return CAIRO_STATUS_READ_ERROR }
    source.data.copyBytes(to: buffer!, from: (source.data.startIndex + source.offset)..<(source.data.startIndex + source.offset + count))
    source.offset += count
    return CAIRO_STATUS_SUCCESS
}

private let appendToBytes: cairo_write_func_t = { closure, bytes, length in
    Unmanaged<PNGBytes>.fromOpaque(closure!).takeUnretainedValue().data.append(bytes!, count: Int(length))
    return CAIRO_STATUS_SUCCESS
}
