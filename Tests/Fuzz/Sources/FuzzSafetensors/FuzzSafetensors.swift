@preconcurrency import Glibc
import FileIO
import Network
import LibFuzzerDriver

/// Arbitrary bytes through `Safetensors.decode`; whatever decodes is re-encoded and must decode to
/// the same tensors (bit for bit), and is offered to `LeNet5(checkpoint:path:)`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file: Safetensors
    do { file = try Safetensors.decode(bytes, path: "fuzz") } catch {
        checkOneLine(error)
        return 0
    }
    do {
        let again = try Safetensors.decode(file.encoded(), path: "again")
        precondition(again.names == file.names && again.metadata == file.metadata, "round trip changed names or metadata")
        for name in file.names {
            let (a, b) = (file[name]!, again[name]!)
            precondition(a.shape == b.shape && a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "round trip changed \(name)")
        }
    } catch {
        preconditionFailure("a decoded file does not decode again after encoding: \(error)")
    }
    do { _ = try LeNet5(checkpoint: file, path: "fuzz") } catch { checkOneLine(error) }
    return 0
}

private func checkOneLine(_ error: FileError) {
    precondition(error.path == "fuzz" && !error.problem.isEmpty && !error.description.contains("\n"), "bad error: \(error)")
}

/// The program's entry (SwiftPM links `<Target>_main` as `main`): libFuzzer's, or one line
/// saying how to build it.
@_cdecl("FuzzSafetensors_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    let status = run_libfuzzer(&argc, &argv) { data, size in data.map { fuzz($0, size) } ?? 0 }
    if status == -1 { fputs("error: FuzzSafetensors was built without libFuzzer; `make fuzz` builds and runs it\n", stderr) }
    return status == -1 ? 2 : status
}
