/// Buffers a class owns and frees in its `deinit`, for tables its per-record loop reads: reading an `Array`
/// property of a class (or calling its `withUnsafeBufferPointer`) from a method can retain and release the array's
/// storage each time, since the method might replace the property meanwhile. These are plain pointers: reading
/// them counts no reference. The owner must call `free()` exactly once, when nothing reads them any more.

/// A fixed table, copied from an array once.
struct FrozenBuffer<Element> {
    /// The elements (valid until `free()`).
    let buffer: UnsafeMutableBufferPointer<Element>

    init(_ elements: [Element]) {
        buffer = .allocate(capacity: elements.count)
        _ = buffer.initialize(from: elements)
    }

    var count: Int { buffer.count }

    @inline(__always)
    func withBuffer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R { try body(buffer) }

    func free() {
        buffer.deinitialize()
        buffer.deallocate()
    }
}

/// A growing list of plain values (no references), appended to and trimmed at its end.
struct GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    mutating func append(contentsOf list: [Element]) {
        if list.isEmpty { return }
        if count + list.count > capacity {
            let grown = max(capacity * 2, count + list.count)
            let bigger = UnsafeMutablePointer<Element>.allocate(capacity: grown)
            bigger.update(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity = grown
        }
        list.withUnsafeBufferPointer { (base + count).update(from: $0.baseAddress!, count: $0.count) }
        count += list.count
    }

    /// Calls `body` with `count` values from `start`.
    @inline(__always)
    func withSlice<R>(_ start: Int, _ count: Int, _ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        precondition(start >= 0 && count >= 0 && start + count <= self.count, "GrowableBuffer.withSlice out of range")
        return try body(UnsafeBufferPointer(start: base + start, count: count))
    }

    /// Drops the last `n` values.
    mutating func removeLast(_ n: Int) {
        precondition(n >= 0 && n <= count, "GrowableBuffer.removeLast: \(n) of \(count)")
        count -= n
    }

    /// Drops every value; with `freeing`, gives the storage back too (a small one is allocated in its place).
    mutating func removeAll(freeing: Bool) {
        count = 0
        if freeing && capacity > 16 {
            base.deallocate()
            capacity = 16
            base = .allocate(capacity: capacity)
        }
    }

    func free() { base.deallocate() }
}
