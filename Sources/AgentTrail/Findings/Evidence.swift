/// A pointer to one event: its id, the file it came from and its index there.
public struct EvidenceRef: Sendable, Hashable, Comparable {
    public var eventID: String?
    public var file: String
    /// Record index within the file (0-based).
    public var index: Int
    public var time: Instant?

    public init(eventID: String?, file: String, index: Int, time: Instant?) {
        self.eventID = eventID
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
