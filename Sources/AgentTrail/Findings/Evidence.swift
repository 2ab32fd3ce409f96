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
        var merged = items + other.items
        merged.sort()
        if merged.count > Evidence.cap { merged.removeLast(merged.count - Evidence.cap) }
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
        // The five groups (8, 4, 4, 4 and 12 digits), each read as one run of digits (no per-character branch on
        // the dash positions); any byte that is not a lowercase hex digit leaves the id as text.
        guard let a = hexRun(base, 8), let b2 = hexRun(base + 9, 4), let c = hexRun(base + 14, 4),
              let d = hexRun(base + 19, 4), let e = hexRun(base + 24, 12) else { return nil }
        return .uuid(a << 32 | b2 << 16 | c, d << 48 | e)
    }

    /// The value of `count` lowercase hex digits at `p`, or nil when one is anything else (uppercase included, so
    /// that such an id reads back as written).
    @inline(__always)
    private static func hexRun(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64? {
        var v: UInt64 = 0
        var bad: UInt8 = 0
        for k in 0..<count {
            let c = p[k]
            let digit = c &- 0x30  // 0...9 for '0'...'9'
            let letter = c &- 0x61  // 0...5 for 'a'...'f'
            let isDigit = digit < 10
            let isLetter = letter < 6
            bad |= (isDigit || isLetter) ? 0 : 1
            v = v << 4 | UInt64(isDigit ? digit : letter &+ 10)
        }
        return bad == 0 ? v : nil
    }
}
