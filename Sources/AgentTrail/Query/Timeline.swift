/// One principal's activity hour by hour, with the things seen for the first time in the window.
public struct Timeline: Sendable {
    /// One active hour.
    public struct Hour: Sendable, Hashable {
        /// Start of the hour (UTC).
        public var start: Instant
        public var calls = 0
        public var errors = 0
        public var denied = 0
        /// Calls per action (IAM action, or `source:Name` when the event needs no permission).
        public var actions: [String: Int] = [:]
        /// Calls per `sourceIPAddress` as written.
        public var sourceIPs: [String: Int] = [:]
        public var regions: [String: Int] = [:]
        public var userAgents: [String: Int] = [:]
        /// Items first seen in this hour (empty for the first active hour, which sets the starting point).
        public var newActions: [String] = []
        public var newSourceIPs: [String] = []
        public var newRegions: [String] = []
        public var newUserAgents: [String] = []

        public init(start: Instant) { self.start = start }

        /// True when something was seen for the first time in this hour.
        public var hasNew: Bool {
            !newActions.isEmpty || !newSourceIPs.isEmpty || !newRegions.isEmpty || !newUserAgents.isEmpty
        }

        mutating func merge(_ o: Hour) {
            calls += o.calls
            errors += o.errors
            denied += o.denied
            actions.merge(o.actions, uniquingKeysWith: +)
            sourceIPs.merge(o.sourceIPs, uniquingKeysWith: +)
            regions.merge(o.regions, uniquingKeysWith: +)
            userAgents.merge(o.userAgents, uniquingKeysWith: +)
        }
    }

    /// The PRINCIPAL pattern.
    public var principal: String
    /// Identity keys that matched it, sorted.
    public var identities: [String]
    /// Active hours, in time order.
    public var hours: [Hour]
    /// Matched records without a readable eventTime (not placed in any hour).
    public var undated: Int

    public var calls: Int { hours.reduce(0) { $0 + $1.calls } }
    public var errors: Int { hours.reduce(0) { $0 + $1.errors } }
}

/// Builds a `Timeline` from matched records (a `QuerySink`).
public final class TimelineBuilder: QuerySink, @unchecked Sendable {
    let principal: String
    let actionMap: EventActionMap
    var hours: [Int64: Timeline.Hour] = [:]
    var identities = Set<String>()
    var undated = 0

    public init(principal: String, actionMap: EventActionMap = .shared) {
        self.principal = principal
        self.actionMap = actionMap
    }

    public func observe(_ r: CloudTrailRecord, file: String, index: Int) {
        if let key = r.principal.identityKey { identities.insert(key) }
        guard let t = r.eventTime else { undated += 1; return }
        let start = t.hourFloor
        var h = hours[start.millisecondsSince1970] ?? Timeline.Hour(start: start)
        h.calls += 1
        if !r.succeeded { h.errors += 1 }
        if r.isAccessDenied { h.denied += 1 }
        let names = EventMatcher.actionNames(r, map: actionMap)
        if names.isEmpty { h.actions[r.actionLabel, default: 0] += 1 }
        for n in names { h.actions[n, default: 0] += 1 }
        if let ip = r.sourceIPText, !ip.isEmpty { h.sourceIPs[ip, default: 0] += 1 }
        if let region = r.awsRegion, !region.isEmpty { h.regions[region, default: 0] += 1 }
        if let ua = r.userAgent, !ua.isEmpty { h.userAgents[ua, default: 0] += 1 }
        hours[start.millisecondsSince1970] = h
    }

    public func merge(_ other: TimelineBuilder) {
        for (k, h) in other.hours {
            if var mine = hours[k] { mine.merge(h); hours[k] = mine } else { hours[k] = h }
        }
        identities.formUnion(other.identities)
        undated += other.undated
    }

    /// The finished timeline: hours in order, each with what it saw first (after the first active hour).
    public var timeline: Timeline {
        var ordered = hours.keys.sorted().map { hours[$0]! }
        var seenActions = Set<String>(), seenIPs = Set<String>(), seenRegions = Set<String>(), seenAgents = Set<String>()
        for i in ordered.indices {
            func fresh(_ items: [String: Int], _ seen: inout Set<String>) -> [String] {
                let new = items.keys.filter { !seen.contains($0) }.sorted()
                seen.formUnion(new)
                return i == 0 ? [] : new
            }
            ordered[i].newActions = fresh(ordered[i].actions, &seenActions)
            ordered[i].newSourceIPs = fresh(ordered[i].sourceIPs, &seenIPs)
            ordered[i].newRegions = fresh(ordered[i].regions, &seenRegions)
            ordered[i].newUserAgents = fresh(ordered[i].userAgents, &seenAgents)
        }
        return Timeline(principal: principal, identities: identities.sorted(), hours: ordered, undated: undated)
    }
}
