@preconcurrency import Glibc
import Graphics
import LibFuzzerDriver
import Writeup

/// Arbitrary bytes, read as UTF-8 (invalid sequences replaced), typeset with no figures: the
/// PDF is produced, or a one-line `WriteupError` is thrown (an image shown as a figure must throw,
/// since none was drawn).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let markdown = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let pdf = try Typesetter(author: "fuzz", figures: [:]).pdf(markdown: markdown)
        precondition(pdf.starts(with: Array("%PDF-".utf8)), "not a PDF")
    } catch {
        precondition(!error.description.isEmpty && !error.description.contains("\n"), "bad error: \(error)")
    }
    return 0
}

/// The program's entry (SwiftPM links `<Target>_main` as `main`): libFuzzer's, or one line
/// saying how to build it.
@_cdecl("FuzzMarkdown_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    let status = run_libfuzzer(&argc, &argv) { data, size in data.map { fuzz($0, size) } ?? 0 }
    if status == -1 { fputs("error: FuzzMarkdown was built without libFuzzer; `make fuzz` builds and runs it\n", stderr) }
    return status == -1 ? 2 : status
}
