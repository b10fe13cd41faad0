import Foundation

/// A hook for the end-to-end tests, read from `REPORT_TEST_HOOK` (comma-separated): `fail@M`
/// throws at moment M, `pause@M` (`pause@*`: every moment) stops the process there (SIGSTOP) so
/// that a test can kill, interrupt or inspect it; `no-exchange` and `in-place` choose the swap's
/// fallbacks. Moments: `staged`, `stage-1` … `stage-9`, `trained`, `written`, `commit`,
/// `set-aside`, `journal`, `moved-first`, `swapped`. Unset, it costs one dictionary lookup.
enum TestHook {
    static let settings: Set<String> = Set((ProcessInfo.processInfo.environment["REPORT_TEST_HOOK"] ?? "")
        .split(separator: ",").map(String.init))

    static func has(_ setting: String) -> Bool { settings.contains(setting) }

    static func moment(_ name: String) throws(ReportError) {
        guard !settings.isEmpty else { return }
        if has("fail@\(name)") { throw ReportError("injected failure at \(name)") }
        if has("pause@\(name)") || has("pause@*") {
            FileHandle.standardError.write(Data("paused at \(name)\n".utf8))
            raise(SIGSTOP)
            // A signal sent while stopped is handled before the run goes on.
            usleep(300_000)
        }
    }
}
