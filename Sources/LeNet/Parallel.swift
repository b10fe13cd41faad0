import Dispatch

/// Calls `body(0..<iterations)`, spread over `threads` threads when that is more than one. Each
/// iteration must touch memory of its own; that, not the type system, keeps this race-free.
package func parallelFor(_ iterations: Int, threads: Int, _ body: (Int) -> Void) {
    guard threads > 1 else {
        for i in 0..<iterations { body(i) }
        return
    }
    struct UncheckedSendable<T>: @unchecked Sendable { let value: T }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(value: body)
        DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
    }
}
