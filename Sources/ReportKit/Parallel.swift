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

    /// Sets a slot unless it already holds a value.
    func fillIfEmpty(_ index: Int, with value: Value) {
        lock.withLock { if values[index] == nil { values[index] = value } }
    }
}

/// Calls `body` for 0..<count, on one thread or on every core; rethrows the first error thrown.
func inParallel(_ count: Int, threads: Int, _ body: @Sendable (Int) throws -> Void) throws {
    if threads <= 1 {
        for i in 0..<count { try body(i) }
        return
    }
    let failure = ResultSlots<any Error>(count: 1)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        do { try body(i) } catch { failure.fillIfEmpty(0, with: error) }
    }
    if let error = failure[0] { throw error }
}
