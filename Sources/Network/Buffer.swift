/// A fixed-size, zero-initialised block of memory owned by a class so it is freed exactly once.
/// Workspaces hold these so that no training step allocates.
package final class Buffer<Element>: @unchecked Sendable {
    /// Elements allocated past `count`, so that an eight-lane load at the last element stays inside.
    static var slack: Int { 8 }

    package let pointer: UnsafeMutablePointer<Element>
    package let count: Int

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
    package convenience init(count: Int) { self.init(count: count, zero: 0) }
}
