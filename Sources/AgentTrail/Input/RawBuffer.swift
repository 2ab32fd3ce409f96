/// A reusable, uninitialised byte buffer (no zero-fill, no copy on growth: contents are scratch).
final class RawBuffer {
    private(set) var pointer: UnsafeMutableRawPointer?
    private(set) var capacity: Int = 0

    init(capacity: Int = 0) {
        if capacity > 0 { _ = reserve(capacity) }
    }

    deinit { pointer?.deallocate() }

    /// Makes room for at least `count` bytes, discarding the contents when it has to grow.
    func reserve(_ count: Int) -> UnsafeMutableRawBufferPointer {
        if count > capacity || pointer == nil {
            pointer?.deallocate()
            let size = max(count, 1)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            capacity = size
        }
        return UnsafeMutableRawBufferPointer(start: pointer, count: capacity)
    }

    /// Frees the memory when it is larger than `limit` bytes.
    func shrink(to limit: Int) {
        guard capacity > limit, let pointer else { return }
        pointer.deallocate()
        self.pointer = nil
        capacity = 0
    }
}
