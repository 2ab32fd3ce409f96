/// A pointer to one event: its id, the file it came from and its index there.
public struct EvidenceRef: Sendable, Hashable, Comparable {
    /// The record's `eventID`, held as a `CompactEventID` (16 bytes when it is a UUID in CloudTrail's lowercase form:
    /// detectors keep thousands of references, and each id's string was a heap block of its own).
    public var eventID: String? {
        get { storedID.text }
        set { storedID = CompactEventID(newValue) }
    }
    public var file: String
    /// Record index within the file (0-based).
    public var index: Int
    public var time: Instant?
    private var storedID: CompactEventID

    public init(eventID: String?, file: String, index: Int, time: Instant?) {
        self.init(compactEventID: CompactEventID(eventID), file: file, index: index, time: time)
    }

    init(compactEventID: CompactEventID, file: String, index: Int, time: Instant?) {
        self.storedID = compactEventID
        self.file = file
        self.index = index
        self.time = time
    }

    /// Earliest first; ties by file and index, so the order is the same for any job count or file order.
    public static func < (a: EvidenceRef, b: EvidenceRef) -> Bool {
        sorts(time: a.time, file: a.file, index: a.index, before: b)
    }

    /// `a < b` for the reference `a` made of these parts.
    @inline(__always)
    static func sorts(time: Instant?, file: String, index: Int, before b: EvidenceRef) -> Bool {
        let ta = time?.millisecondsSince1970 ?? Int64.min
        let tb = b.time?.millisecondsSince1970 ?? Int64.min
        if ta != tb { return ta < tb }
        if file != b.file { return file < b.file }
        return index < b.index
    }
}

/// The earliest `cap` events of a group plus the true total. Merging is associative and
/// order-independent.
public struct Evidence: Sendable, Hashable {
    /// How many event references a finding keeps.
    public static let cap = 20
    public internal(set) var items: [EvidenceRef] = []
    public internal(set) var total: Int = 0

    public init() {}

    public mutating func add(_ ref: EvidenceRef) {
        total += 1
        if items.count < Evidence.cap {
            // Grown by doubling, a full list would hold room for 32; sized to the cap once it would grow past 16.
            if items.count == items.capacity, items.count >= Evidence.cap / 2 { items.reserveCapacity(Evidence.cap) }
            let i = items.firstIndex(where: { ref < $0 }) ?? items.count
            items.insert(ref, at: i)
        } else if let last = items.last, ref < last {
            items.removeLast()
            let i = items.firstIndex(where: { ref < $0 }) ?? items.count
            items.insert(ref, at: i)
        }
    }

    public mutating func merge(_ other: Evidence) {
        total += other.total
        if other.items.isEmpty { return }
        if items.isEmpty { items = other.items; return }
        // (Both lists are sorted (`add` keeps them so): merged in one pass, up to the cap. Concatenated and sorted, the
        // merges of a 2-job scan's evidence cost ~5 M instructions of insertion sort on the real-shaped archive.)
        let a = items, b = other.items
        var merged: [EvidenceRef] = []
        merged.reserveCapacity(Swift.min(Evidence.cap, a.count + b.count))
        var i = 0, j = 0
        while merged.count < Evidence.cap && (i < a.count || j < b.count) {
            if j == b.count || (i < a.count && !(b[j] < a[i])) {
                merged.append(a[i])
                i += 1
            } else {
                merged.append(b[j])
                j += 1
            }
        }
        items = merged
    }
}

/// Count, first/last time and evidence of a group of events: the building block of detector state.
public struct Tally: Sendable, Hashable {
    public var count = 0
    public var firstSeen: Instant?
    public var lastSeen: Instant?
    public var evidence = Evidence()

    public init() {}

    public mutating func merge(_ other: Tally) {
        count += other.count
        if let f = other.firstSeen, firstSeen == nil || f < firstSeen! { firstSeen = f }
        if let l = other.lastSeen, lastSeen == nil || l > lastSeen! { lastSeen = l }
        evidence.merge(other.evidence)
    }
}

extension Dictionary where Value == Tally {
    /// Merges another keyed tally into this one.
    public mutating func mergeTallies(_ other: [Key: Tally]) {
        for (k, v) in other { self[k, default: Tally()].merge(v) }
    }
}

/// An optional event id, held as two integers when it is a canonical lowercase UUID (`8-4-4-4-12` hex digits, as
/// CloudTrail writes them) and as text otherwise. Every value is made in that one form (a text is packed when it can
/// be, and unpacks to the same text), so equal ids are equal values.
struct CompactEventID: Sendable, Hashable {
    private enum Storage: Sendable, Hashable {
        case none
        case uuid(UInt64, UInt64)
        case text(String)
    }
    private let storage: Storage

    init(_ text: String?) {
        guard var text else { storage = .none; return }
        storage = text.withUTF8 { CompactEventID.packed($0) } ?? .text(text)
    }

    /// The id in the JSON string at `span` of `p` (quotes included) when it is a lowercase UUID, packed straight from
    /// the bytes; nil for anything else (decode it as text then).
    init?(uuidIn p: UnsafePointer<UInt8>, _ span: ByteSpan) {
        guard span.end &- span.start == 38, p[span.start] == 0x22, p[span.end &- 1] == 0x22,
              let packed = CompactEventID.packed(UnsafeBufferPointer(start: p.advanced(by: span.start &+ 1), count: 36)) else { return nil }
        storage = packed
    }

    var text: String? {
        switch storage {
        case .none: return nil
        case .text(let t): return t
        case .uuid(let hi, let lo):
            return String(unsafeUninitializedCapacity: 36) { out in
                var j = 0
                for k in 0..<32 {
                    if j == 8 || j == 13 || j == 18 || j == 23 { out[j] = 0x2D; j &+= 1 }
                    let v = k < 16 ? hi : lo
                    let d = UInt8(truncatingIfNeeded: (v >> UInt64((15 &- (k & 15)) &* 4)) & 0xF)
                    out[j] = d < 10 ? 0x30 &+ d : 0x57 &+ d
                    j &+= 1
                }
                return 36
            }
        }
    }

    private static func packed(_ b: UnsafeBufferPointer<UInt8>) -> Storage? {
        guard b.count == 36, let base = b.baseAddress,
              base[8] == 0x2D, base[13] == 0x2D, base[18] == 0x2D, base[23] == 0x2D else { return nil }
        // The 32 digits as four runs of eight (8 | 4+4 | 4+4 | 8), each converted eight bytes at a time.
        let raw = UnsafeRawPointer(base)
        @inline(__always) func word(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        @inline(__always) func halves(_ a: Int, _ b: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: a, as: UInt32.self)))
                | UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: b, as: UInt32.self))) << 32
        }
        guard let a = hex8(word(0)), let bc = hex8(halves(9, 14)), let de = hex8(halves(19, 24)), let e = hex8(word(28))
        else { return nil }
        return .uuid(a << 32 | bc, de << 32 | e)
    }

    /// The value of eight lowercase hex digits (the first in the lowest byte), or nil when a byte is anything else
    /// (uppercase included, so that such an id reads back as written). Eight bytes at once: per-byte range checks
    /// by adding constants that carry into each byte's top bit (no byte exceeds 0x7F, so nothing carries further).
    @inline(__always)
    private static func hex8(_ x: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        guard x & high == 0 else { return nil }
        let atLeast0 = x &+ ones &* (0x80 - 0x30), above9 = x &+ ones &* (0x80 - 0x3A)
        let atLeastA = x &+ ones &* (0x80 - 0x61), aboveF = x &+ ones &* (0x80 - 0x67)
        let valid = ((atLeast0 & ~above9) | (atLeastA & ~aboveF)) & high
        guard valid == high else { return nil }
        // Each byte's value: its low nibble, plus 9 for a letter (bit 6 set).
        let v = (x & (ones &* 0x0F)) &+ ((x >> 6) & ones) &* 9
        // Pack the nibbles, first byte most significant: pairs, then quads, then the two halves.
        let pairs = ((v & 0x000F_000F_000F_000F) << 4) | ((v >> 8) & 0x000F_000F_000F_000F)
        let quads = ((pairs & 0x0000_00FF_0000_00FF) << 8) | ((pairs >> 16) & 0x0000_00FF_0000_00FF)
        return ((quads & 0xFFFF) << 16) | ((quads >> 32) & 0xFFFF)
    }
}
