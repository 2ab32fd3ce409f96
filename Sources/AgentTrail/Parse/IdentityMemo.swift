#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-worker memo of whole `userIdentity` objects: the calls of one session repeat the same object byte for
/// byte, so the object's fields (`IdentityFields`) and its decoded `Principal` are found by comparing bytes instead
/// of scanning and decoding them again.
///
/// Exact: scanning an object reads only its own bytes and its result depends on nothing else (the bound it is
/// scanned with does not matter once it has ended), so when the bytes at a position begin with a stored object's
/// bytes, compared in full, a scan there would find the same fields at the same relative offsets and end after the
/// same length. Candidates are found by hashing the first `longPrefix` bytes at the position (for objects at least
/// that long, which is most: sessions of one role share their first ~100 bytes, their access keys come later), else
/// the first `shortPrefix` bytes (shorter objects, e.g. AWS service callers); a miss only costs a scan. When the
/// stored bytes exceed `arenaLimit` the memo starts over (bounded memory). Not thread-safe: one per worker.
final class IdentityMemo {
    static let longPrefix = 256
    static let shortPrefix = 48
    /// Bytes of stored objects before the memo starts over. With the fields and principals kept per object, the memo
    /// held ~2.2× this per worker; 2 MiB → 1 MiB saved ~2.2 MB per worker for +0.55 % instructions (callgrind,
    /// real-shaped archive: the sessions that repeat are recent ones).
    static let arenaLimit = 1 << 20

    /// Open-addressing tables of entry ids (-1: empty), by the hash of the long or the short prefix.
    private var long = [Int32](repeating: -1, count: 1024)
    private var short = [Int32](repeating: -1, count: 256)
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var arena: [UInt8] = []
    /// The scanned fields of each stored object, relative to its `{`, in 16 bits each (objects of 64 KiB or more
    /// are not stored): 52 bytes an object instead of 208.
    private var fields: [PackedIdentityFields] = []
    /// Where the decoded principal of each stored object is in `principalStore` (core fields at `2 * id`, with
    /// `principalDetails` at `2 * id + 1`; -1 until built): a principal is stored only once made, not an optional
    /// slot of each kind per object.
    private var principalSlots: [Int32] = []
    private var principalStore: [Principal] = []
    /// A small value a user of the memo attaches to each entry (-1: none yet), cleared with it: the scan's triage
    /// keeps where it memoised the entry's principal key, so it is found again without a table of its own.
    private var tags: [Int32] = []
    /// Another small value per entry for the same user: what the scope rule's `userIdentity` part says of it (0: not
    /// known yet; see `RecordTriage.wants`).
    private var scopeBits: [UInt8] = []
    /// Results of Sigma detection items that read only `userIdentity` (bit = the item's slot; `SigmaRecord`), per
    /// entry: which are known and what they are. Cleared with the entry, so a result is only ever reused for the
    /// same bytes.
    private var itemKnown: [UInt64] = []
    private var itemValue: [UInt64] = []
    private var longCount = 0, shortCount = 0
    /// Lookups answered from the memo (for tests).
    private(set) var hits = 0

    init() { arena.reserveCapacity(1 << 16) }

    /// The id and length of a stored object whose bytes begin `p[start..<n]`.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> (id: Int, length: Int)? {
        let available = n &- start
        if available >= IdentityMemo.longPrefix,
           let hit = find(in: long, SpanTable<Int>.hash(p + start, IdentityMemo.longPrefix), p, start, available) {
            return hit
        }
        return find(in: short, SpanTable<Int>.hash(p + start, min(IdentityMemo.shortPrefix, available)), p, start, available)
    }

    @inline(__always)
    private func find(in table: [Int32], _ h: UInt64, _ p: UnsafePointer<UInt8>, _ start: Int,
                      _ available: Int) -> (id: Int, length: Int)? {
        let mask = table.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = Int(table[i])
            if s < 0 { return nil }
            if hashes[s] == h {
                let length = lengths[s]
                if length <= available
                    && arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + starts[s], p + start, length) }) == 0 {
                    hits &+= 1
                    return (s, length)
                }
            }
            i = (i &+ 1) & mask
        }
    }

    /// Stores the object `p[start..<end]` (scanned within `p[..<n]`) and its fields (absolute offsets); returns its id,
    /// or -1 for an object of more than `PackedIdentityFields.maxLength` bytes (not stored).
    @discardableResult
    func insert(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ n: Int, _ scanned: IdentityFields) -> Int {
        let length = end &- start
        guard length <= PackedIdentityFields.maxLength else { return -1 }  // (not stored: -1 is "no entry")
        if arena.count &+ length > IdentityMemo.arenaLimit { clear() }
        let isLong = length >= IdentityMemo.longPrefix
        let h = isLong ? SpanTable<Int>.hash(p + start, IdentityMemo.longPrefix)
                       : SpanTable<Int>.hash(p + start, min(IdentityMemo.shortPrefix, n &- start))
        let id = fields.count
        hashes.append(h)
        starts.append(arena.count)
        lengths.append(length)
        arena.append(contentsOf: UnsafeBufferPointer(start: p + start, count: length))
        fields.append(PackedIdentityFields(scanned.shifted(by: -start)))
        principalSlots.append(-1)
        principalSlots.append(-1)
        tags.append(-1)
        scopeBits.append(0)
        itemKnown.append(0)
        itemValue.append(0)
        if isLong {
            longCount &+= 1
            if longCount &* 2 > long.count { long = IdentityMemo.rehash(long.count &* 2, from: long, hashes) }
            IdentityMemo.place(id, h, in: &long)
        } else {
            shortCount &+= 1
            if shortCount &* 2 > short.count { short = IdentityMemo.rehash(short.count &* 2, from: short, hashes) }
            IdentityMemo.place(id, h, in: &short)
        }
        return id
    }

    private static func place(_ id: Int, _ h: UInt64, in table: inout [Int32]) {
        let mask = table.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] >= 0 { i = (i &+ 1) & mask }
        table[i] = Int32(id)
    }

    private static func rehash(_ count: Int, from table: [Int32], _ hashes: [UInt64]) -> [Int32] {
        var bigger = [Int32](repeating: -1, count: count)
        for s in table where s >= 0 { place(Int(s), hashes[Int(s)], in: &bigger) }
        return bigger
    }

    /// The fields of object `id`, placed at `start`.
    @inline(__always)
    func fields(_ id: Int, at start: Int) -> IdentityFields { fields[id].unpacked.shifted(by: start) }

    /// The principal decoded from object `id` (nil until `setPrincipal`).
    @inline(__always)
    func principal(_ id: Int, detailed: Bool) -> Principal? {
        let slot = principalSlots[id &* 2 &+ (detailed ? 1 : 0)]
        return slot < 0 ? nil : principalStore[Int(slot)]
    }

    /// The tag of entry `id` (-1 until `setTag`).
    @inline(__always)
    func tag(_ id: Int) -> Int32 { tags[id] }

    @inline(__always)
    func setTag(_ id: Int, _ tag: Int32) { tags[id] = tag }

    /// The scope bits of entry `id` (0 until `setScopeBits`).
    @inline(__always)
    func scopeBits(_ id: Int) -> UInt8 { scopeBits[id] }

    @inline(__always)
    func setScopeBits(_ id: Int, _ bits: UInt8) { scopeBits[id] = bits }

    /// The stored result of the identity-only Sigma item in `slot` (0–63) for entry `id`, if known.
    @inline(__always)
    func itemResult(_ id: Int, _ slot: Int) -> Bool? {
        let bit: UInt64 = 1 << UInt64(slot)
        return itemKnown[id] & bit == 0 ? nil : itemValue[id] & bit != 0
    }

    @inline(__always)
    func setItemResult(_ id: Int, _ slot: Int, _ value: Bool) {
        let bit: UInt64 = 1 << UInt64(slot)
        itemKnown[id] |= bit
        if value { itemValue[id] |= bit } else { itemValue[id] &= ~bit }
    }

    func setPrincipal(_ id: Int, detailed: Bool, _ principal: Principal) {
        let i = id &* 2 &+ (detailed ? 1 : 0)
        if principalSlots[i] >= 0 {
            principalStore[Int(principalSlots[i])] = principal
        } else {
            principalSlots[i] = Int32(principalStore.count)
            principalStore.append(principal)
        }
    }

    /// Forgets every entry and frees the storage (`clear` keeps it for refilling). The memo stays usable.
    func release() {
        clear()
        hashes = []; starts = []; lengths = []; arena = []; fields = []
        principalSlots = []; principalStore = []; tags = []; scopeBits = []; itemKnown = []; itemValue = []
    }

    private func clear() {
        long = [Int32](repeating: -1, count: 1024)
        short = [Int32](repeating: -1, count: 256)
        longCount = 0
        shortCount = 0
        hashes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        principalSlots.removeAll(keepingCapacity: true)
        principalStore.removeAll(keepingCapacity: true)
        tags.removeAll(keepingCapacity: true)
        scopeBits.removeAll(keepingCapacity: true)
        itemKnown.removeAll(keepingCapacity: true)
        itemValue.removeAll(keepingCapacity: true)
    }
}

extension IdentityFields {
    /// The same fields with every set span moved by `delta` bytes.
    @inline(__always)
    func shifted(by delta: Int) -> IdentityFields {
        @inline(__always) func m(_ s: ByteSpan) -> ByteSpan { s.isSet ? ByteSpan(start: s.start &+ delta, end: s.end &+ delta) : s }
        var f = self
        f.type = m(type); f.arn = m(arn); f.principalId = m(principalId); f.accountId = m(accountId)
        f.accessKeyId = m(accessKeyId); f.userName = m(userName); f.invokedBy = m(invokedBy)
        f.sourceIdentity = m(sourceIdentity); f.issuerArn = m(issuerArn); f.issuerType = m(issuerType); f.issuerUserName = m(issuerUserName)
        f.mfaAuthenticated = m(mfaAuthenticated); f.sessionSourceIdentity = m(sessionSourceIdentity)
        return f
    }
}

/// `IdentityFields` relative to the object's `{`, each bound in 16 bits (an unset span stays 0–0; a set one ends
/// after 0, within the object).
struct PackedIdentityFields {
    static let maxLength = Int(UInt16.max)
    private var bounds: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// `fields` must be relative to an object of at most `maxLength` bytes.
    init(_ f: IdentityFields) {
        @inline(__always) func pack(_ s: ByteSpan) -> UInt32 { UInt32(truncatingIfNeeded: s.start) << 16 | UInt32(truncatingIfNeeded: s.end) }
        bounds = (pack(f.type), pack(f.arn), pack(f.principalId), pack(f.accountId), pack(f.accessKeyId), pack(f.userName),
                  pack(f.invokedBy), pack(f.sourceIdentity), pack(f.issuerArn), pack(f.issuerType), pack(f.issuerUserName),
                  pack(f.mfaAuthenticated), pack(f.sessionSourceIdentity))
    }

    var unpacked: IdentityFields {
        @inline(__always) func span(_ v: UInt32) -> ByteSpan { ByteSpan(start: Int(v >> 16), end: Int(v & 0xFFFF)) }
        var f = IdentityFields()
        f.type = span(bounds.0); f.arn = span(bounds.1); f.principalId = span(bounds.2); f.accountId = span(bounds.3)
        f.accessKeyId = span(bounds.4); f.userName = span(bounds.5); f.invokedBy = span(bounds.6)
        f.sourceIdentity = span(bounds.7); f.issuerArn = span(bounds.8); f.issuerType = span(bounds.9)
        f.issuerUserName = span(bounds.10); f.mfaAuthenticated = span(bounds.11); f.sessionSourceIdentity = span(bounds.12)
        return f
    }
}
