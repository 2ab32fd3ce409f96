/// What `events --count --by` groups by.
public enum EventGroupKey: String, CaseIterable, Sendable {
    /// The caller's identity key (role ARN for sessions).
    case principal
    /// `sourceIPAddress` as written.
    case ip
    /// IAM action(s) through the `EventActionMap` (a record exercising two actions counts for both).
    case action
    case eventSource = "event-source"
    /// `errorCode` (`(none)` for successful calls).
    case error
    /// The UTC hour of `eventTime`.
    case hour
}

/// One group of a count.
public struct EventCount: Sendable, Hashable {
    public var key: String
    public var count: Int
}

/// Counts matched records, in total and optionally per group. Memory is one entry per distinct group.
public final class EventCounter: QuerySink, @unchecked Sendable {
    public let by: EventGroupKey?
    public private(set) var total = 0
    private var groups: [String: Int] = [:]
    private let actions: EventActionMap?

    public init(by: EventGroupKey? = nil, actionMap: EventActionMap? = nil) {
        self.by = by
        self.actions = by == .action ? (actionMap ?? EventActionMap.shared) : nil
    }

    public func observe(_ r: CloudTrailRecord, file: String, index: Int) {
        total += 1
        guard let by else { return }
        switch by {
        case .principal: groups[r.principal.identityKey ?? "(unknown)", default: 0] += 1
        case .ip: groups[r.sourceIPText ?? "(none)", default: 0] += 1
        case .eventSource: groups[r.eventSource, default: 0] += 1
        case .error: groups[r.failureCode ?? "(none)", default: 0] += 1
        case .hour: groups[r.eventTime.map { String($0.hourFloor.iso8601.dropLast(4)) + "Z" } ?? "(no time)", default: 0] += 1
        case .action:
            let names = EventMatcher.actionNames(r, map: actions!)
            if names.isEmpty { groups["(no permission)", default: 0] += 1 }
            for n in names { groups[n, default: 0] += 1 }
        }
    }

    public func merge(_ other: EventCounter) {
        total += other.total
        groups.merge(other.groups, uniquingKeysWith: +)
    }

    /// Groups by count, largest first, then by key.
    public var counts: [EventCount] {
        groups.map { EventCount(key: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
    }
}
