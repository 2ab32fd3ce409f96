/// How one principal used one IAM action in the window.
public struct ActionUsage: Sendable, Hashable {
    public static let resourceCap = 50
    public static let ipCap = 20
    /// Successful calls.
    public var successes = 0
    /// Access-denied attempts (not use).
    public var denied = 0
    /// Other failures (throttling, validation, ...): the permission was there, the call still failed.
    public var otherErrors = 0
    public var firstUsed: Instant?
    public var lastUsed: Instant?
    /// Resource ARNs touched by successful calls (capped at `resourceCap`).
    public var resources: Set<String> = []
    /// Source IPs or service names of successful calls (capped at `ipCap`).
    public var sourceIPs: Set<String> = []
    /// Days (UTC day start, ms) with successful calls.
    public var activeDays: Set<Int64> = []

    public init() {}

    mutating func merge(_ o: ActionUsage) {
        successes += o.successes
        denied += o.denied
        otherErrors += o.otherErrors
        if let f = o.firstUsed, firstUsed == nil || f < firstUsed! { firstUsed = f }
        if let l = o.lastUsed, lastUsed == nil || l > lastUsed! { lastUsed = l }
        resources = ActionUsage.capped(resources.union(o.resources), ActionUsage.resourceCap)
        sourceIPs = ActionUsage.capped(sourceIPs.union(o.sourceIPs), ActionUsage.ipCap)
        activeDays.formUnion(o.activeDays)
    }

    /// Inserts `v`, keeping only the smallest `cap` elements.
    static func insertCapped(_ v: String, into s: inout Set<String>, _ cap: Int) {
        if s.contains(v) { return }
        if s.count < cap { s.insert(v); return }
        guard let max = s.max(), v < max else { return }
        s.remove(max)
        s.insert(v)
    }

    /// Keeps the smallest `cap` elements so merging is order-independent.
    static func capped(_ s: Set<String>, _ cap: Int) -> Set<String> {
        s.count <= cap ? s : Set(s.sorted().prefix(cap))
    }
}

/// Calls of one principal on one UTC day, by outcome.
public struct DailyCalls: Sendable, Hashable {
    public var succeeded = 0
    /// Access-denied calls.
    public var denied = 0
    /// Other errors (throttling, validation, ...).
    public var failed = 0

    public init(succeeded: Int = 0, denied: Int = 0, failed: Int = 0) {
        self.succeeded = succeeded
        self.denied = denied
        self.failed = failed
    }

    public var total: Int { succeeded + denied + failed }

    mutating func merge(_ o: DailyCalls) {
        succeeded += o.succeeded
        denied += o.denied
        failed += o.failed
    }
}

/// Per principal and IAM action: successes, denials, resources and IPs; plus which services' data events the
/// trail records. Mergeable. Shared by `unused-granted-action` and the access review.
public final class UsageAccumulator: @unchecked Sendable {
    /// principal key → action → usage.
    public private(set) var usage: [String: [IAMAction: ActionUsage]] = [:]
    /// IAM prefixes for which at least one data event was seen (so the trail records them).
    public private(set) var dataEventPrefixes: Set<String> = []
    /// Events whose action is not in the catalogue: `eventSource:eventName` → count.
    public private(set) var unknownEvents: [String: Int] = [:]
    /// Per principal: the first and last event time, and sessions/days seen.
    public private(set) var principalWindow: [String: (first: Instant?, last: Instant?)] = [:]
    /// Per principal: calls per UTC day (day start, ms since 1970), split by outcome. Feeds the daily activity chart.
    public private(set) var dailyCalls: [String: [Int64: DailyCalls]] = [:]
    let map: EventActionMap

    public init(map: EventActionMap = .shared) { self.map = map }

    /// The optional record fields `observe` reads (`EventActionMap`, `ResourceExtractor`, data-event detection).
    public static let recordFields: RecordFieldSet = [.eventCategory, .resources, .requestParameters, .recipientAccountId]

    public func observe(_ event: ObservedRecord) {
        let r = event.record
        let key = event.principalKey
        if r.eventCategory == "Data" { dataEventPrefixes.insert(map.prefix(forEventSource: r.eventSource)) }
        if let t = r.eventTime {
            var w = principalWindow[key] ?? (nil, nil)
            if w.first == nil || t < w.first! { w.first = t }
            if w.last == nil || t > w.last! { w.last = t }
            principalWindow[key] = w
            let day = t.dayFloor.millisecondsSince1970
            var d = dailyCalls[key, default: [:]][day] ?? DailyCalls()
            if r.succeeded { d.succeeded += 1 } else if r.isAccessDenied { d.denied += 1 } else { d.failed += 1 }
            dailyCalls[key, default: [:]][day] = d
        }
        let actions: [IAMAction]
        switch map.actions(for: r) {
        case .actions(let a): actions = a
        case .noPermission: return
        case .unknown(let name):
            unknownEvents[name, default: 0] += 1
            return
        }
        let denied = r.isAccessDenied
        let ok = r.succeeded
        let resources = ok ? ResourceExtractor.resources(of: r) : []
        for action in actions {
            var u = usage[key, default: [:]][action] ?? ActionUsage()
            if ok {
                u.successes += 1
                if let t = r.eventTime {
                    if u.firstUsed == nil || t < u.firstUsed! { u.firstUsed = t }
                    if u.lastUsed == nil || t > u.lastUsed! { u.lastUsed = t }
                    u.activeDays.insert(t.dayFloor.millisecondsSince1970)
                }
                // Keep the smallest values so the result does not depend on which worker saw what first.
                for res in resources { ActionUsage.insertCapped(res, into: &u.resources, ActionUsage.resourceCap) }
                let ip = r.sourceAddress.description
                if !ip.isEmpty { ActionUsage.insertCapped(ip, into: &u.sourceIPs, ActionUsage.ipCap) }
            } else if denied {
                u.denied += 1
            } else {
                u.otherErrors += 1
            }
            usage[key, default: [:]][action] = u
        }
    }

    public func merge(_ o: UsageAccumulator) {
        for (p, actions) in o.usage {
            for (a, u) in actions { usage[p, default: [:]][a, default: ActionUsage()].merge(u) }
        }
        dataEventPrefixes.formUnion(o.dataEventPrefixes)
        for (k, v) in o.unknownEvents { unknownEvents[k, default: 0] += v }
        for (p, w) in o.principalWindow {
            var m = principalWindow[p] ?? (nil, nil)
            if let f = w.first, m.first == nil || f < m.first! { m.first = f }
            if let l = w.last, m.last == nil || l > m.last! { m.last = l }
            principalWindow[p] = m
        }
        for (p, days) in o.dailyCalls {
            for (day, d) in days { dailyCalls[p, default: [:]][day, default: DailyCalls()].merge(d) }
        }
        // Caps are re-applied deterministically after a merge.
        for (p, actions) in usage {
            for (a, var u) in actions {
                u.resources = ActionUsage.capped(u.resources, ActionUsage.resourceCap)
                u.sourceIPs = ActionUsage.capped(u.sourceIPs, ActionUsage.ipCap)
                usage[p]![a] = u
            }
        }
    }

    /// Usage of every principal key that `policies` describe (role ARNs with or without IAM path, sessions).
    public func usage(for policies: PrincipalPolicies) -> [IAMAction: ActionUsage] {
        var out: [IAMAction: ActionUsage] = [:]
        for key in usage.keys.sorted() where policies.matches(arn: key) {
            for (a, u) in usage[key]! { out[a, default: ActionUsage()].merge(u) }
        }
        return out
    }

    /// Whether the trail records `action`'s events: management events always; data events when any data event
    /// of that service was seen or the config says so; permission-only actions never.
    public func isRecorded(_ action: IAMAction, config: AgentTrailConfig) -> (recorded: Bool, recording: Recording) {
        let rec = map.recording(of: action)
        switch rec {
        case .management: return (true, rec)
        case .notRecorded: return (false, rec)
        case .data:
            if let forced = config.dataEvents[action.prefix.lowercased()] { return (forced, rec) }
            return (dataEventPrefixes.contains(action.prefix.lowercased()) || dataEventPrefixes.contains(action.prefix), rec)
        }
    }
}

extension UsageAccumulator {
    /// Replaces the state with one read back from a partial result (`PartialUsage`).
    func restore(usage: [String: [IAMAction: ActionUsage]], dataEventPrefixes: Set<String>, unknownEvents: [String: Int],
                 principalWindow: [String: (first: Instant?, last: Instant?)], dailyCalls: [String: [Int64: DailyCalls]]) {
        self.usage = usage
        self.dataEventPrefixes = dataEventPrefixes
        self.unknownEvents = unknownEvents
        self.principalWindow = principalWindow
        self.dailyCalls = dailyCalls
    }
}
