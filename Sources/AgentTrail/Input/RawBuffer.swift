#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A reusable, uninitialised byte buffer (no zero-fill, no copy on growth: contents are scratch).
///
/// Buffers of `mapThreshold` bytes or more are mapped with `mmap` and unmapped when freed, so the memory really
/// goes back to the system: through `malloc`, a freed multi-megabyte block raises glibc's dynamic mmap threshold
/// and the next ones stay in the heap, which keeps the peak resident set growing with the largest file seen.
final class RawBuffer {
    static let mapThreshold = 1 << 20

    private(set) var pointer: UnsafeMutableRawPointer?
    private(set) var capacity: Int = 0
    private var mapped = false

    init(capacity: Int = 0) {
        if capacity > 0 { _ = reserve(capacity) }
    }

    deinit { release() }

    /// Makes room for at least `count` bytes, discarding the contents when it has to grow.
    func reserve(_ count: Int) -> UnsafeMutableRawBufferPointer {
        if count > capacity || pointer == nil {
            release()
            let size = max(count, 1)
            if size >= RawBuffer.mapThreshold,
               let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
               p != MAP_FAILED {
                pointer = p
                mapped = true
            } else {
                pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
                mapped = false
            }
            capacity = size
        }
        return UnsafeMutableRawBufferPointer(start: pointer, count: capacity)
    }

    /// Frees the memory when it is larger than `limit` bytes.
    func shrink(to limit: Int) {
        guard capacity > limit, pointer != nil else { return }
        release()
    }

    /// Frees the memory (the buffer can be reserved again).
    func free() { release() }

    private func release() {
        guard let p = pointer else { return }
        if mapped { munmap(p, capacity) } else { p.deallocate() }
        pointer = nil
        capacity = 0
        mapped = false
    }
}
