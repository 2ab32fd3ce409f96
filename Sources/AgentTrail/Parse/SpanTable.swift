/// A per-worker memo keyed by the raw bytes of a JSON value (quotes and escapes included), so a value that repeats
/// across records (an eventSource, a role ARN, a principal type) is decoded and classified once, and later looked up
/// by hashing its bytes, with no `String` built. The stored value is whatever `make` computed from the first
/// occurrence; because it is a function of the raw bytes only, lookups are exact. Not thread-safe: one per worker.
struct SpanTable<Value> {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var arena: [UInt8] = []
    private(set) var values: [Value] = []
    /// Entries beyond this are not stored (the caller's `make` result is returned uncached).
    let limit: Int

    init(limit: Int = 1 << 16) {
        self.limit = limit
        slots = [Int32](repeating: -1, count: 64)
    }

    var count: Int { values.count }

    /// The id and value for the bytes `p[start..<end]`, computing and storing the value on first sight.
    /// `id` is -1 when the table is full and the value was not stored.
    @inline(__always)
    /// When `make` throws, nothing is stored and the error propagates.
    mutating func lookup(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, tag: UInt64 = 0,
                         _ make: () throws -> Value) rethrows -> (id: Int, value: Value, isNew: Bool) {
        let n = end &- start
        let h = SpanTable.hash(p + start, n) ^ (tag &* 0x9E37_79B9_7F4A_7C15)
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = Int(slots[i])
            if s < 0 { break }
            if hashes[s] == h && lengths[s] == n && equalBytes(s, p + start, n) { return (s, values[s], false) }
            i = (i &+ 1) & mask
        }
        let v = try make()
        guard values.count < limit else { return (-1, v, true) }
        let id = values.count
        values.append(v)
        hashes.append(h)
        starts.append(arena.count)
        lengths.append(n)
        arena.append(contentsOf: UnsafeBufferPointer(start: p + start, count: n))
        slots[i] = Int32(id)
        if values.count &* 2 > slots.count { grow() }
        return (id, v, true)
    }

    /// Forgets every entry, keeping the storage (a table emptied when full refills to the same size).
    mutating func removeAll() {
        for i in slots.indices { slots[i] = -1 }
        hashes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// Replaces the value stored under `id`.
    mutating func update(_ id: Int, _ value: Value) { values[id] = value }

    private func equalBytes(_ id: Int, _ q: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let s = starts[id]
        return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + s, q, n) == 0 }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count &* 2)
        let mask = bigger.count &- 1
        for id in 0..<values.count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while bigger[i] >= 0 { i = (i &+ 1) & mask }
            bigger[i] = Int32(id)
        }
        slots = bigger
    }

    /// A fast 64-bit hash of `n` bytes (8 at a time, multiply-xorshift mixing).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift &+= 8
            i &+= 1
        }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return h
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
