/// Evaluates an `EventQuery` on decoded records. One per worker (it caches IAM action lookups); not thread-safe.
public final class EventMatcher {
    public let query: EventQuery
    private let actionMap: EventActionMap?
    private var actionCache: [String: Bool] = [:]

    /// `actionMap` is needed only when the query filters by action (defaults to `EventActionMap.shared` then).
    public init(_ query: EventQuery, actionMap: EventActionMap? = nil) {
        self.query = query
        self.actionMap = query.needsActionMap ? (actionMap ?? EventActionMap.shared) : actionMap
    }

    /// True when `record` satisfies every filter. `--contains` is checked on `record.raw` (records without raw
    /// bytes never match a `contains` filter).
    public func matches(_ record: CloudTrailRecord) -> Bool {
        let q = query
        if q.since != nil || q.until != nil {
            guard let t = record.eventTime else { return false }
            if let s = q.since, t < s { return false }
            if let u = q.until, t > u { return false }
        }
        if !q.eventSources.isEmpty && !q.eventSources.contains(where: { $0.matches(record.eventSource) }) { return false }
        if !q.eventNames.isEmpty && !q.eventNames.contains(where: { $0.matches(record.eventName) }) { return false }
        if q.errorsOnly && record.succeeded { return false }
        if q.deniedOnly && !record.isAccessDenied { return false }
        if !q.regions.isEmpty {
            guard let r = record.awsRegion, q.regions.contains(r) else { return false }
        }
        if !q.accounts.isEmpty {
            let a = record.recipientAccountId, b = record.principal.accountId
            guard (a.map(q.accounts.contains) ?? false) || (b.map(q.accounts.contains) ?? false) else { return false }
        }
        if !q.networks.isEmpty {
            guard let ip = record.sourceAddress.ip, q.networks.contains(where: { $0.contains(ip) }) else { return false }
        }
        if !q.accessKeys.isEmpty {
            guard let key = record.principal.accessKeyId, q.accessKeys.contains(where: { $0.matches(key) }) else { return false }
        }
        if !q.principals.isEmpty {
            let names = PrincipalNames.of(record.principal)
            guard q.principals.contains(where: { g in names.contains(where: g.matches) }) else { return false }
        }
        if !q.contains.isEmpty {
            guard let raw = record.raw?.bytes,
                  q.contains.contains(where: { ByteSearch.contains(raw, Array($0.utf8)) }) else { return false }
        }
        if !q.actions.isEmpty && !actionMatches(record) { return false }
        return true
    }

    private func actionMatches(_ record: CloudTrailRecord) -> Bool {
        let key = record.eventSource + "\u{0}" + record.eventName + "\u{0}" + (record.eventType ?? "") + "\u{0}"
            + (record.eventCategory ?? "")
        if let hit = actionCache[key] { return hit }
        let names = EventMatcher.actionNames(record, map: actionMap ?? EventActionMap.shared)
        let hit = query.actions.contains { g in names.contains(where: g.matches) }
        actionCache[key] = hit
        return hit
    }

    /// The IAM action names of a record (`bedrock:InvokeModel`), or the derived name when it is not in the
    /// catalogue; empty when the event needs no permission.
    public static func actionNames(_ record: CloudTrailRecord, map: EventActionMap) -> [String] {
        switch map.actions(for: record) {
        case .actions(let list): return list.map(\.description)
        case .unknown(let name): return [name]
        case .noPermission: return []
        }
    }
}
