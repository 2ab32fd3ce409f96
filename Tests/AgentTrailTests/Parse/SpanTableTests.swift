import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// The decoder's byte-keyed tables: emptied when full (`removeAll`), they still return exactly the value made from
/// each key's bytes, and hold no more than their limit.
@Suite struct SpanTableTests {
    @Test(arguments: [8, 64, 1000])
    func emptiedWhenFullStaysExact(limit: Int) {
        var table = SpanTable<String>(limit: limit)
        var made = 0
        for round in 0..<3 {
            for i in 0..<(limit * 2 + 7) {
                let key = Array("value-\(i % (limit + 3))".utf8)
                if table.count >= limit { table.removeAll() }
                let got = key.withUnsafeBufferPointer { b in
                    table.lookup(b.baseAddress!, 0, b.count) { made += 1; return String(decoding: b, as: UTF8.self) }.value
                }
                #expect(got == "value-\(i % (limit + 3))", "round \(round)")
                #expect(table.count <= limit)
            }
        }
        #expect(made > limit)  // (it was emptied and refilled)
    }

    /// Keys whose hashes collide in full (forced through `tag`, which is multiplied by an odd constant and xored in:
    /// the second key's tag is solved for) are told apart by their bytes, at every length up to 40 and with the
    /// differing byte at every position (the 8-byte words, the overlapping last word, the byte loop below 8).
    @Test(arguments: 1...40)
    func collidingHashesToldApartByBytes(length: Int) {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var inverse = k  // (Newton's iteration for the inverse of an odd number modulo 2^64)
        for _ in 0..<6 { inverse = inverse &* (2 &- k &* inverse) }
        #expect(k &* inverse == 1)
        var rng = SplitMix(UInt64(length))
        let a = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for position in 0..<length {
            var b = a
            b[position] ^= 0x20
            let tag = (SpanTableHashTests.hash(a) ^ SpanTableHashTests.hash(b)) &* inverse
            var table = SpanTable<Int>(limit: 16)
            let first = a.withUnsafeBufferPointer { table.lookup($0.baseAddress!, 0, length) { 1 } }
            let second = b.withUnsafeBufferPointer { table.lookup($0.baseAddress!, 0, length, tag: tag) { 2 } }
            #expect(second.isNew && second.value == 2 && second.id != first.id, "position \(position)")
            let again = a.withUnsafeBufferPointer { table.lookup($0.baseAddress!, 0, length) { 3 } }
            #expect(!again.isNew && again.value == 1 && again.id == first.id)
            // (The same bytes elsewhere in memory find the stored value.)
            let moved = [0, 0, 0] + b
            let found = moved.withUnsafeBufferPointer { table.lookup($0.baseAddress!, 3, 3 + length, tag: tag) { 4 } }
            #expect(!found.isNew && found.value == 2)
        }
    }
}

/// `SpanTable.hash`, which the byte-keyed memos (and the identity memo) index by: a function of the bytes, every
/// length handled (the two lanes, the overlapping last word, the byte loop below 8), and spread over the low bits.
@Suite struct SpanTableHashTests {
    // (Bytes from the module's fixed-seed `SplitMix`, so the test sees the same bytes every run.)

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { b in
            SpanTable<Int>.hash(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count)
        }
    }

    /// For every length up to 80, changing any one byte (or any one bit of it) changes the hash, and the same bytes
    /// hash the same wherever they are in memory.
    @Test(arguments: 0...80)
    func oneByteChangesTheHash(length: Int) {
        var rng = SplitMix(UInt64(length) &* 7919)
        let base = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let h = Self.hash(base)
        #expect(Self.hash(Array(base)) == h)
        let shifted = [UInt8](repeating: 0, count: 3) + base  // (another alignment)
        let hShifted = shifted.withUnsafeBufferPointer { b in SpanTable<Int>.hash(b.baseAddress! + 3, length) }
        #expect(hShifted == h)
        for i in 0..<length {
            for bit in [0, 3, 7] {
                var changed = base
                changed[i] ^= UInt8(1 << bit)
                #expect(Self.hash(changed) != h, "length \(length), byte \(i), bit \(bit)")
            }
        }
        if length > 0 { #expect(Self.hash(Array(base.dropLast())) != h) }  // (the length counts)
    }

    /// Keys that differ only in a few characters (access keys, session names) spread over the low bits a table
    /// indexes by: 4,096 of them fill at least 900 of 1,024 slots (random hashing fills ~1,005).
    @Test func lowBitsSpread() {
        var rng = SplitMix(42)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var slots = Set<UInt64>()
        for _ in 0..<4096 {
            let key = Array(#"{"type":"AssumedRole","accessKeyId":"ASIA"#.utf8)
                + (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] } + Array(#""}"#.utf8)
            slots.insert(Self.hash(key) & 1023)
        }
        #expect(slots.count >= 900)
    }
}
