import FileIO
import LibFuzzerDriver
@testable import MNIST

/// Arbitrary bytes through what `IDX.contents(of:)` does after reading a file (inflate when
/// gzip-compressed), then both IDX parsers. Every bad input must throw a one-line `FileError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let bytes = Gzip.isCompressed(raw) ? try Gzip.decompress(raw, path: "fuzz") : raw
        check { () throws(FileError) in _ = try IDX.readImages(bytes, path: "fuzz") }
        check { () throws(FileError) in _ = try IDX.readLabels(bytes, path: "fuzz") }
    } catch {
        checkOneLine(error)
    }
    return 0
}

private func check(_ body: () throws(FileError) -> Void) {
    do { try body() } catch { checkOneLine(error) }
}

private func checkOneLine(_ error: FileError) {
    precondition(error.path == "fuzz" && !error.problem.isEmpty && !error.description.contains("\n"), "bad error: \(error)")
}

@_cdecl("FuzzIDX_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
