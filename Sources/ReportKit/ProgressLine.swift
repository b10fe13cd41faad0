import Foundation
import Network

/// Training progress on the terminal: a line rewritten in place on a terminal, one line per epoch
/// otherwise (logs, CI).
final class ProgressLine {
    private let interactive = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast

    private var latest = ""

    func update(_ p: TrainingProgress) {
        latest = String(format: "epoch %d/%d  step %d/%d  loss %.4f  %.0f images/s  %@ left",
                        p.epoch, p.epochs, p.step, p.steps, p.loss, p.imagesPerSecond, duration(p.secondsLeft))
        guard interactive && Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        write("\r\u{1B}[K" + latest)
    }

    /// Ends the epoch's line with its test accuracy.
    func finish(_ epoch: EpochSummary) {
        let line = latest + String(format: "  test accuracy %.2f %%", 100 * epoch.testAccuracy)
        write((interactive ? "\r\u{1B}[K" : "") + line + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// `m:ss`.
func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return String(format: "%d:%02d", s / 60, s % 60)
}
