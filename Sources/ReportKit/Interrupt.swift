import Dispatch
import FileIO
import Foundation

/// Ends the process on Ctrl-C (SIGINT) with one line and status 130, after removing the temporary
/// files of writes in flight and the staging folder, so the previous `Report/` stays as it was
/// (or, interrupted during the swap, the new one is complete).
enum Interrupt {
    nonisolated(unsafe) private static var source: DispatchSourceSignal?
    private static let lock = NSLock()
    nonisolated(unsafe) private static var handling = false

    static func install() {
        guard source == nil else { return }
        signal(SIGINT, SIG_IGN)   // delivered to the dispatch source instead
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            lock.withLock { handling = true }
            let outcome = OutputTransaction.interrupted(stoppingWrites: TemporaryFiles.removeAll)
            FileHandle.standardError.write(Data("\nerror: interrupted; \(outcome)\n".utf8))
            _exit(130)
        }
        source.resume()
        Self.source = source
    }

    /// Called where the run fails: when the failure is the interrupt's doing (it removed the
    /// staging folder under the run's feet), waits for the handler to end the process, so that
    /// only its line is printed.
    static func waitIfInterrupted() {
        guard lock.withLock({ handling }) else { return }
        while true { pause() }
    }
}
