import Dispatch
import Foundation

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

/// `transform(i, earlier)` for every i in 0..<count on `threads` threads, which take the indices
/// in increasing order, one at a time. So a job may wait for jobs before it, `earlier(range)`
/// returning their results: whoever took them is already running them. `earlier` rethrows their
/// first error; this rethrows the first in index order.
package func parallelMapInOrder<T>(_ count: Int, threads: Int,
                                   _ transform: (Int, _ earlier: (Range<Int>) throws -> [T]) throws -> T) throws -> [T] {
    let jobs = OrderedJobs<T>(count)
    parallelFor(min(threads, count), threads: threads) { _ in
        while let i = jobs.next() {
            jobs.finish(i, Result { try transform(i) { range in
                precondition(range.upperBound <= i, "a job waits only for jobs before it")
                return try jobs.results(range)
            } })
        }
    }
    return try jobs.results(0..<count)
}

/// The jobs of `parallelMapInOrder`: the next to take, and the results so far.
private final class OrderedJobs<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var taken = 0
    private var slots: [Result<T, any Error>?]

    init(_ count: Int) { slots = Array(repeating: nil, count: count) }

    func next() -> Int? {
        condition.withLock {
            guard taken < slots.count else { return nil }
            taken += 1
            return taken - 1
        }
    }

    func finish(_ i: Int, _ result: Result<T, any Error>) {
        condition.withLock { slots[i] = result }
        condition.broadcast()
    }

    /// The results of `range`, once they are all in.
    func results(_ range: Range<Int>) throws -> [T] {
        condition.lock()
        while slots[range].contains(where: { $0 == nil }) { condition.wait() }
        let results = slots[range].map { $0! }
        condition.unlock()
        return try results.map { try $0.get() }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable { let value: T }
