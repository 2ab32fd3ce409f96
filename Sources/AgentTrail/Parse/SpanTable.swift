/// A per-worker memo keyed by the raw bytes of a JSON value (quotes and escapes included), so a value that repeats
/// across records (an eventSource, a role ARN, a principal type) is decoded and classified once, and later looked up
/// by hashing its bytes, with no `String` built. The stored value is whatever `make` computed from the first
/// occurrence; because it is a function of the raw bytes only, lookups are exact. Not thread-safe: one per worker.
struct SpanTable<Value> {
    private var slots: [Int32]
    /// Per stored value, in id order: its bytes' hash, where they are in `arena`, and how many there are (one array:
    /// a probe reads one entry, not three arrays with their own bounds checks).
    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    private(set) var values: [Value] = []
    /// Entries beyond this are not stored (the caller's `make` result is returned uncached).
    let limit: Int

    private struct Entry {
        var hash: UInt64
        var start: Int
        var length: Int
    }

    init(limit: Int = 1 << 16) {
        self.limit = limit
        slots = [Int32](repeating: -1, count: 64)
    }

    var count: Int { values.count }

    /// The id and value for the bytes `p[start..<end]`, computing and storing the value on first sight.
    /// `id` is -1 when the table is full and the value was not stored.
    /// When `make` throws, nothing is stored and the error propagates.
    @inline(__always)
    mutating func lookup(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, tag: UInt64 = 0,
                         _ make: () throws -> Value) rethrows -> (id: Int, value: Value, isNew: Bool) {
        let n = end &- start
        let h = SpanTable.hash(p + start, n) ^ (tag &* 0x9E37_79B9_7F4A_7C15)
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = Int(slots[i])
            if s < 0 { break }
            let e = entries[s]
            if e.hash == h && e.length == n && equalBytes(e.start, p + start, n) { return (s, values[s], false) }
            i = (i &+ 1) & mask
        }
        let v = try make()
        guard values.count < limit else { return (-1, v, true) }
        let id = values.count
        values.append(v)
        entries.append(Entry(hash: h, start: arena.count, length: n))
        arena.append(contentsOf: UnsafeBufferPointer(start: p + start, count: n))
        slots[i] = Int32(id)
        if values.count &* 2 > slots.count { grow() }
        return (id, v, true)
    }

    /// The value stored under `id` when its bytes are exactly `p[start..<end]`; nil otherwise (also for an `id` the
    /// table no longer holds). Lets a caller that met the same value last time skip hashing: the comparison alone
    /// decides, so a stale `id` (the table emptied and refilled since) costs a miss, never a wrong value.
    @inline(__always)
    func value(ifStoredAt id: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Value? {
        guard id >= 0, id < values.count else { return nil }
        let e = entries[id]
        let n = end &- start
        guard e.length == n, equalBytes(e.start, p + start, n) else { return nil }
        return values[id]
    }

    /// Forgets every entry, keeping the storage (a table emptied when full refills to the same size).
    mutating func removeAll() {
        for i in slots.indices { slots[i] = -1 }
        entries.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// Replaces the value stored under `id`.
    mutating func update(_ id: Int, _ value: Value) { values[id] = value }

    /// Whether the `n` stored bytes at `start` in `arena` equal `q[..<n]`: 8 bytes at a time, the last 8 overlapping
    /// (values are mostly 8–60 bytes; a `memcmp` call cost more than the comparison), byte by byte below 8.
    @inline(__always)
    private func equalBytes(_ start: Int, _ q: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        arena.withUnsafeBufferPointer { a in
            let x = UnsafeRawPointer(a.baseAddress! + start), y = UnsafeRawPointer(q)
            if n < 8 {
                for k in 0..<n where x.load(fromByteOffset: k, as: UInt8.self) != y.load(fromByteOffset: k, as: UInt8.self) {
                    return false
                }
                return true
            }
            var k = 0
            while k &+ 8 < n {
                if x.loadUnaligned(fromByteOffset: k, as: UInt64.self) != y.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                    return false
                }
                k &+= 8
            }
            return x.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count &* 2)
        let mask = bigger.count &- 1
        for id in 0..<values.count {
            var i = Int(truncatingIfNeeded: entries[id].hash) & mask
            while bigger[i] >= 0 { i = (i &+ 1) & mask }
            bigger[i] = Int32(id)
        }
        slots = bigger
    }

    /// A fast 64-bit hash of `n` bytes: two lanes of 8 bytes each multiplied in (16 bytes per step, two independent
    /// chains), the last 1–7 bytes as one overlapping word (or byte by byte below 8 bytes), then a full avalanche
    /// (`fmix64`), so every input bit reaches the low bits the tables index by. Each step is a bijection of the lane
    /// for a fixed word, so keys that differ in one word never collide. A lookup compares the bytes in full, so the
    /// hash only decides where to look: its quality costs probes, never a wrong answer. (The previous form, one lane
    /// with a xorshift per 8 bytes, cost 11 instructions per 8 bytes; the identity memo hashes 256 bytes a record.)
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let k1: UInt64 = 0x9E37_79B9_7F4A_7C15, k2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var a: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        var b: UInt64 = 0x1656_67B1_9E37_79F9
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i &+ 16 <= n {
            a = (a ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k1
            b = (b ^ raw.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)) &* k2
            i &+= 16
        }
        if i &+ 8 <= n {
            a = (a ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k1
            i &+= 8
        }
        if i < n {
            var tail: UInt64 = 0
            if n >= 8 {
                // (The last 8 bytes, overlapping some already hashed: n is hashed too, so this stays a function of
                // the bytes.)
                tail = raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            } else {
                var shift: UInt64 = 0
                while i < n {
                    tail |= UInt64(p[i]) << shift
                    shift &+= 8
                    i &+= 1
                }
            }
            b = (b ^ tail) &* k2
        }
        var h = a ^ (b &<< 31 | b &>> 33)
        h ^= h &>> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h &>> 33
        return h
    }
}
