import Dispatch

extension Array {
    /// `transform` of every element, spread over the cores. Each call writes only its own slot of
    /// the results, which is what makes sharing them across threads safe.
    func concurrentMap<T>(_ transform: (Element) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            withoutActuallyEscaping(transform) { transform in
                let shared = UncheckedSendable(value: (slots: slots, elements: self, transform: transform))
                DispatchQueue.concurrentPerform(iterations: count) { i in
                    shared.value.slots[i] = shared.value.transform(shared.value.elements[i])
                }
            }
        }
        return results.map { $0! }
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
