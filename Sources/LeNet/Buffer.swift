/// A fixed-size, zero-initialised block of memory owned by a class so it is freed exactly once.
/// Workspaces hold these so that no training step allocates.
final class Buffer<Element>: @unchecked Sendable {
    /// Elements allocated past `count`, so that an eight-lane load at the last element stays inside.
    static var slack: Int { 8 }

    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int, zero: Element) {
        self.count = count
        pointer = .allocate(capacity: count + Self.slack)
        pointer.initialize(repeating: zero, count: count + Self.slack)
    }

    deinit { pointer.deallocate() }

    func fill(_ value: Element) { pointer.update(repeating: value, count: count) }
    var array: [Element] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

extension Buffer where Element == Float {
    convenience init(count: Int) { self.init(count: count, zero: 0) }
}
