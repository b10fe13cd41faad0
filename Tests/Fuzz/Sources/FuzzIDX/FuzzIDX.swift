@preconcurrency import Glibc
import FileIO
import LibFuzzerDriver
import MNIST

/// Arbitrary bytes through what `IDX.contents(of:)` does after reading a file (`IDX.decoded`:
/// inflate when gzip-compressed), then both IDX parsers. Every bad input must throw a one-line `FileError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let bytes = try IDX.decoded(raw, path: "fuzz")
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

/// The program's entry (SwiftPM links `<Target>_main` as `main`): libFuzzer's, or one line
/// saying how to build it.
@_cdecl("FuzzIDX_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    let status = run_libfuzzer(&argc, &argv) { data, size in data.map { fuzz($0, size) } ?? 0 }
    if status == -1 { fputs("error: FuzzIDX was built without libFuzzer; `make fuzz` builds and runs it\n", stderr) }
    return status == -1 ? 2 : status
}
