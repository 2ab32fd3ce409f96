/// A record a query matched, kept as its original bytes (decoded again only for display).
public struct MatchedEvent: Sendable, Hashable {
    public var eventTime: Instant?
    /// The file it came from.
    public var file: String
    /// Its record index in that file.
    public var index: Int
    /// The record's bytes exactly as they were in the log.
    public var raw: [UInt8]

    public init(eventTime: Instant?, file: String, index: Int, raw: [UInt8]) {
        self.eventTime = eventTime
        self.file = file
        self.index = index
        self.raw = raw
    }

    /// Output order: by eventTime (records without one last), then file path, then index in the file.
    public static func precedes(_ a: MatchedEvent, _ b: MatchedEvent) -> Bool {
        switch (a.eventTime, b.eventTime) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return false
        case (_?, nil): return true
        default: break
        }
        if a.file != b.file { return a.file < b.file }
        return a.index < b.index
    }

    /// The record decoded again (nil if it no longer decodes, which cannot happen for bytes that matched).
    public func decoded() -> CloudTrailRecord? {
        try? RecordDecoder(keepRaw: true).decode(raw) ?? nil
    }
}

/// Collects matched records. Without a limit it keeps every match (the query is expected to be selective: memory
/// is the matched records' bytes). With `limit` it keeps only the `limit` earliest in output order, so memory stays
/// bounded (at most `2 * limit` records per worker between compactions) and the result does not depend on the
/// job count.
public final class EventCollector: QuerySink, @unchecked Sendable {
    public let limit: Int?
    private var items: [MatchedEvent] = []

    public init(limit: Int? = nil) { self.limit = limit }

    public func observe(_ record: CloudTrailRecord, file: String, index: Int) {
        items.append(MatchedEvent(eventTime: record.eventTime, file: file, index: index, raw: record.raw?.bytes ?? []))
        if let limit, items.count >= max(2 * limit, 64) { compact(limit) }
    }

    public func merge(_ other: EventCollector) {
        items += other.items
        if let limit, items.count > limit { compact(limit) }
    }

    private func compact(_ limit: Int) {
        items.sort(by: MatchedEvent.precedes)
        if items.count > limit { items.removeSubrange(limit...) }
    }

    /// The matches in output order (the first `limit` when limited).
    public var events: [MatchedEvent] {
        var out = items.sorted(by: MatchedEvent.precedes)
        if let limit, out.count > limit { out.removeSubrange(limit...) }
        return out
    }
}
