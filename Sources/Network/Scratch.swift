/// Memory that kernels borrow for the length of a call instead of allocating: a training step
/// would otherwise allocate several blocks per layer, some large enough for the system to map and
/// zero fresh pages every time, on both threads at once. It grows to the largest request once.
final class Scratch: @unchecked Sendable {
    private var memory: UnsafeMutableRawPointer?
    private var capacity = 0

    deinit { memory?.deallocate() }

    /// Calls `body` with room for `count` values of `T`, 64-byte aligned and uninitialised, valid
    /// for the call. Calls must not nest.
    func withBuffer<T, R>(of type: T.Type, capacity count: Int, _ body: (UnsafeMutableBufferPointer<T>) -> R) -> R {
        let bytes = count * MemoryLayout<T>.stride
        if bytes > capacity {
            memory?.deallocate()
            memory = .allocate(byteCount: bytes, alignment: 64)
            capacity = bytes
        }
        return body(UnsafeMutableBufferPointer(start: memory!.bindMemory(to: T.self, capacity: count), count: count))
    }
}
