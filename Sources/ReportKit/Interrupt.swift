import Dispatch
import FileIO
import Foundation

/// Ends the process on Ctrl-C (SIGINT) with one line and status 130, after removing the temporary
/// files of writes in flight, so the previous `Report/` stays as it was.
enum Interrupt {
    nonisolated(unsafe) private static var source: DispatchSourceSignal?

    static func install() {
        guard source == nil else { return }
        signal(SIGINT, SIG_IGN)   // delivered to the dispatch source instead
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            TemporaryFiles.removeAll()
            FileHandle.standardError.write(Data("\nerror: interrupted; no file was left half-written, and nothing after this point was written\n".utf8))
            _exit(130)
        }
        source.resume()
        Self.source = source
    }
}
