import Dispatch
import Foundation

/// Slots that several threads fill, each its own index.
final class ResultSlots<Value>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.withLock { values[index] } }
        set { lock.withLock { values[index] = newValue } }
    }
}

/// Calls `body` for 0..<count on up to `threads` threads; rethrows the first error seen.
func inParallel(_ count: Int, threads: Int, _ body: @Sendable (Int) throws -> Void) throws {
    if threads <= 1 {
        for i in 0..<count { try body(i) }
        return
    }
    let failure = ResultSlots<any Error>(count: 1)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        do { try body(i) } catch { failure[0] = error }
    }
    if let error = failure[0] { throw error }
}
