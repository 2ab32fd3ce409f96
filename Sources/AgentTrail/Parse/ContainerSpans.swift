/// Where the object and array values at the top level of the record being split start and end, recorded by
/// `RecordSplitter` while it scans the record (it tracks depth anyway), so `RecordDecoder`'s top-level pass can
/// jump over them instead of skipping them bracket by bracket a second time.
///
/// Exact: a span is handed over only when the splitter matched every bracket of the record with its opener (no
/// realignment, no ignored closer, nesting below 64 levels), so each recorded end is where
/// `JSONScan.skipContainer` would stop (the same quote-aware bracket matching over the same bytes). Otherwise
/// `usable` is false and the decoder skips values as before. One per `RecordStream`; not thread-safe.
final class ContainerSpans: @unchecked Sendable {
    /// At most this many spans per record; a record with more gets none.
    static let capacity = 32
    /// Absolute offsets (in the splitter's input) of each container's opener and one past its closer (-1 while open).
    let starts: UnsafeMutablePointer<Int>
    let ends: UnsafeMutablePointer<Int>
    var count = 0
    /// The spans describe the record being delivered, whose first byte is at absolute offset `base`.
    var usable = false
    var base = 0
    /// Decoder's position in the spans of the current record.
    var cursor = 0

    init() {
        starts = .allocate(capacity: ContainerSpans.capacity)
        ends = .allocate(capacity: ContainerSpans.capacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
    }

    /// A new record starts (`usable` says whether its spans may be used, unless something unusual happens).
    @inline(__always)
    func reset(usable: Bool) {
        count = 0
        cursor = 0
        self.usable = usable
    }

    @inline(__always)
    func open(_ absolute: Int) {
        if count == ContainerSpans.capacity { usable = false; return }
        starts[count] = absolute
        ends[count] = -1
        count &+= 1
    }

    @inline(__always)
    func close(_ absolute: Int) {
        if count > 0 { ends[count &- 1] = absolute }
    }

    /// The end (relative to the record's first byte) of the container that starts at relative offset `start`, or nil
    /// when no usable span starts there. Calls must come in increasing `start` order within a record.
    @inline(__always)
    func end(startingAt start: Int) -> Int? {
        guard usable else { return nil }
        let absolute = base &+ start
        var k = cursor
        while k < count && starts[k] < absolute { k &+= 1 }
        cursor = k
        guard k < count, starts[k] == absolute, ends[k] > absolute else { return nil }
        cursor = k &+ 1
        return ends[k] &- base
    }
}
