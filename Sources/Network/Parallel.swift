import Dispatch

/// Calls `body(0..<iterations)`, spread over `threads` threads when that is more than one. Each
/// iteration must touch memory of its own; that, not the type system, keeps this race-free. The
/// one place in the project that hands work to several threads, so `--threads` holds everywhere.
package func parallelFor(_ iterations: Int, threads: Int, _ body: (Int) -> Void) {
    guard threads > 1, iterations > 1 else {
        for i in 0..<iterations { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(value: body)
        DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
    }
}

/// `transform(i)` for every i in 0..<count, computed on `threads` threads, in index order.
package func parallelMap<T>(_ count: Int, threads: Int, _ transform: (Int) -> T) -> [T] {
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer { slots.deinitialize().deallocate() }
    let shared = UncheckedSendable(value: slots)
    parallelFor(count, threads: threads) { shared.value[$0] = transform($0) }
    return slots.map { $0! }
}

/// `parallelMap` for work that may fail: the first error in index order is rethrown.
package func parallelMap<T>(_ count: Int, threads: Int, _ transform: (Int) throws -> T) throws -> [T] {
    try parallelMap(count, threads: threads) { i in Result { try transform(i) } }.map { try $0.get() }
}

private struct UncheckedSendable<T>: @unchecked Sendable { let value: T }
