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
    /// The largest of `resources` / `sourceIPs` while full: what a new value must sort before to be kept, remembered
    /// so that a full set is not scanned for its maximum on every record (nil: not known). Not part of equality.
    var resourcesCeiling: String?
    var sourceIPsCeiling: String?
    /// The last value offered to `resources` / `sourceIPs`: offering it again changes nothing (it was kept and
    /// nothing has been offered since, or it was refused and the set is as it was), so the set is not hashed again.
    /// Not part of equality.
    var lastResource: String?
    var lastSourceIP: String?
    /// IP addresses already offered to `sourceIPs` (at most `offeredCap`): offering one again changes nothing, by
    /// the same argument as `lastSourceIP` (kept values stay until a smaller one evicts them, and a refused or
    /// evicted value is refused again), so it is not formatted and hashed as text again. Not part of equality.
    var offeredAddresses: [IPAddress] = []
    static let offeredCap = 32

    public init() {}

    public static func == (a: ActionUsage, b: ActionUsage) -> Bool {
        a.successes == b.successes && a.denied == b.denied && a.otherErrors == b.otherErrors && a.firstUsed == b.firstUsed
            && a.lastUsed == b.lastUsed && a.resources == b.resources && a.sourceIPs == b.sourceIPs && a.activeDays == b.activeDays
    }

    public func hash(into h: inout Hasher) {
        h.combine(successes)
        h.combine(denied)
        h.combine(otherErrors)
        h.combine(firstUsed)
        h.combine(lastUsed)
        h.combine(resources)
        h.combine(sourceIPs)
        h.combine(activeDays)
    }

    mutating func merge(_ o: ActionUsage) {
        successes += o.successes
        denied += o.denied
        otherErrors += o.otherErrors
        if let f = o.firstUsed, firstUsed == nil || f < firstUsed! { firstUsed = f }
        if let l = o.lastUsed, lastUsed == nil || l > lastUsed! { lastUsed = l }
        resources = ActionUsage.capped(resources.union(o.resources), ActionUsage.resourceCap)
        sourceIPs = ActionUsage.capped(sourceIPs.union(o.sourceIPs), ActionUsage.ipCap)
        resourcesCeiling = nil
        sourceIPsCeiling = nil
        lastResource = nil
        lastSourceIP = nil
        offeredAddresses = []
        activeDays.formUnion(o.activeDays)
    }

    /// Inserts `v`, keeping only the smallest `cap` elements.
    static func insertCapped(_ v: String, into s: inout Set<String>, ceiling: inout String?, last: inout String?,
                             _ cap: Int) {
        if let l = last, l == v { return }
        last = v
        if s.count < cap {
            s.insert(v)
            ceiling = nil
            return
        }
        if ceiling == nil { ceiling = s.max() }
        guard let max = ceiling, v < max, s.insert(v).inserted else { return }
        s.remove(max)
        ceiling = s.max()
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
    /// One principal's part: its key, first and last event time, calls per UTC day, usage per action.
    struct PrincipalPart {
        var key: String
        var first: Instant?
        var last: Instant?
        var daily: [Int64: DailyCalls] = [:]
        var actions: [IAMAction: ActionUsage] = [:]
    }

    /// Where each principal's part is in `parts`: one lookup per record, by the record's pre-hashed principal key (a
    /// principal met again found through the table's recent keys).
    private var slots = PositionTable<HashedString, Int>()
    private var parts: [PrincipalPart] = []

    /// principal key → action → usage (principals with at least one action).
    public var usage: [String: [IAMAction: ActionUsage]] {
        var out: [String: [IAMAction: ActionUsage]] = [:]
        for p in parts where !p.actions.isEmpty { out[p.key] = p.actions }
        return out
    }
    /// IAM prefixes for which at least one data event was seen (so the trail records them).
    public private(set) var dataEventPrefixes: Set<String> = []
    /// The eventSources of the data events seen (each is mapped to its prefix once).
    private var dataEventSources: Set<String> = []
    private var lastDataEventSource: String?
    /// The known event sources (`KnownEventSource`, one bit each) whose data events were seen: S3 and DynamoDB data
    /// events interleave, and each change of source hashed the source into `dataEventSources` again.
    private var knownDataEventSources: UInt32 = 0
    /// Events whose action is not in the catalogue: `eventSource:eventName` → count.
    public private(set) var unknownEvents: [String: Int] = [:]
    /// Per principal: the first and last event time.
    public var principalWindow: [String: (first: Instant?, last: Instant?)] {
        var out: [String: (first: Instant?, last: Instant?)] = [:]
        for p in parts where p.first != nil { out[p.key] = (p.first, p.last) }
        return out
    }
    /// Per principal: calls per UTC day (day start, ms since 1970), split by outcome. Feeds the daily activity chart.
    public var dailyCalls: [String: [Int64: DailyCalls]] {
        var out: [String: [Int64: DailyCalls]] = [:]
        for p in parts where !p.daily.isEmpty { out[p.key] = p.daily }
        return out
    }
    /// The principal keys with a window or usage (`usage` and `principalWindow` keys), unsorted.
    public var principalKeys: [String] { parts.filter { $0.first != nil || !$0.actions.isEmpty }.map(\.key) }
    /// `usage[key]`, found by one lookup.
    public func actionUsage(of key: String) -> [IAMAction: ActionUsage] { slots[HashedString(key)].map { parts[$0].actions } ?? [:] }
    /// `principalWindow[key]`.
    public func window(of key: String) -> (first: Instant?, last: Instant?)? {
        guard let s = slots[HashedString(key)], parts[s].first != nil else { return nil }
        return (parts[s].first, parts[s].last)
    }
    /// `dailyCalls[key]`.
    public func dailyCalls(of key: String) -> [Int64: DailyCalls] { slots[HashedString(key)].map { parts[$0].daily } ?? [:] }

    let map: EventActionMap
    /// The actions of each (eventSource, eventName) met, per worker (`EventActionMap.actions` builds strings), by the
    /// worker's action number (`ActionIDCache`).
    private var actionMemo = ActionIDCache<EventActions>()

    /// What `observe` keeps.
    public enum Detail: Sendable {
        /// Everything: per principal its window and daily calls; per action the counts, first and last use, active
        /// days, resources and source addresses (the access review).
        case full
        /// Per principal and action the counts of successes, denials and other errors only; plus the data-event
        /// prefixes and unknown events, as `full` keeps them. What `unused-granted-action` judges by (an action is
        /// used when it has a success): the resources, addresses, days and windows that `full` builds per record
        /// were half of a scan's detector time with policies, for nothing the scan shows.
        case counts
    }
    /// What this accumulator keeps (`full` unless made otherwise).
    public let detail: Detail

    public init(map: EventActionMap = .shared, detail: Detail = .full) {
        self.map = map
        self.detail = detail
    }

    /// The optional record fields `observe` reads at `detail`: at `full`, what `EventActionMap`, `ResourceExtractor`
    /// and the data-event detection read; at `counts`, the event category only.
    public static func recordFields(_ detail: Detail) -> RecordFieldSet {
        switch detail {
        case .full: [.eventCategory, .resources, .requestParameters, .recipientAccountId]
        case .counts: [.eventCategory]
        }
    }

    private func slot(_ key: HashedString) -> Int {
        let p = slots.position(of: key, hash: key.hash) { -1 }
        if slots.values[p] >= 0 { return slots.values[p] }
        let s = parts.count
        parts.append(PrincipalPart(key: key.string))
        slots.values[p] = s
        return s
    }

    /// (Also the access review's, whose accumulator holds this one: the same memo, and the same copies of the actions.)
    func actions(_ event: ObservedRecord) -> EventActions {
        let r = event.record
        if EventActionMap.needsNoPermission(r) { return .noPermission }
        return actionMemo.value(event) { own(map.actions(eventSource: r.eventSource, eventName: r.eventName)) }
    }

    /// This accumulator's own copy of each action it met (`IAMAction.unshared`): the per-record loops retain the
    /// actions they count, and the map's are shared by every worker. One copy per action, so that the usage
    /// dictionaries' keys are found by identity.
    private var ownActions: [IAMAction: IAMAction] = [:]

    private func own(_ acts: EventActions) -> EventActions {
        guard case .actions(let list) = acts else { return acts }
        return .actions(list.map { action in
            if let copy = ownActions[action] { return copy }
            let copy = action.unshared()
            ownActions[action] = copy
            return copy
        })
    }

    /// The text of each IP address met (bounded): an account's calls come from a few hundred addresses, and
    /// formatting an address costs several times a lookup.
    private var addressTexts: [IPAddress: String] = [:]

    @inline(__always)
    private func addressText(_ a: SourceAddress) -> String {
        guard case .ip(let ip) = a else { return a.description }
        if let text = addressTexts[ip] { return text }
        let text = ip.description
        if addressTexts.count >= 4096 { addressTexts.removeAll(keepingCapacity: true) }
        addressTexts[ip] = text
        return text
    }

    public func observe(_ event: ObservedRecord) {
        let r = event.record
        if StringBytes.equals(r.eventCategory, "Data") { noteDataEvent(r.knownSource, r.eventSource) }
        let acts = actions(event)
        if detail == .counts { return count(acts, event) }
        observeFully(event, acts)
    }

    /// `observe` at `Detail.full`. (Apart: it passes the whole record out of line, to `ResourceExtractor`, which made
    /// `observe` copy the record at entry at `counts` too; see `ObservedRecord`.)
    @inline(never) private func observeFully(_ event: ObservedRecord, _ acts: EventActions) {
        let r = event.record
        let time = r.eventTime
        var hasActions = false
        if case .actions(let a) = acts, !a.isEmpty { hasActions = true }
        guard time != nil || hasActions else {
            if case .unknown(let name) = acts { unknownEvents[name, default: 0] += 1 }
            return
        }
        let s = slot(event.hashedPrincipalKey)
        if let t = time {
            if parts[s].first == nil || t < parts[s].first! { parts[s].first = t }
            if parts[s].last == nil || t > parts[s].last! { parts[s].last = t }
            let day = t.dayFloor.millisecondsSince1970
            if r.succeeded {
                parts[s].daily[day, default: DailyCalls()].succeeded += 1
            } else if r.isAccessDenied {
                parts[s].daily[day, default: DailyCalls()].denied += 1
            } else {
                parts[s].daily[day, default: DailyCalls()].failed += 1
            }
        }
        let actions: [IAMAction]
        switch acts {
        case .actions(let a): actions = a
        case .noPermission: return
        case .unknown(let name):
            unknownEvents[name, default: 0] += 1
            return
        }
        let denied = r.isAccessDenied
        let ok = r.succeeded
        let resources = ok ? ResourceExtractor.resources(of: r) : []
        // The address as text only when some action's set is offered it (`record`), and then once per record.
        var ipText: String?
        let address = r.sourceAddress
        func text() -> String {
            if let ipText { return ipText }
            let made = addressText(address)
            ipText = made
            return made
        }
        for action in actions {
            Self.record(&parts[s].actions[action, default: ActionUsage()], ok: ok, denied: denied, time: time,
                        resources: resources, address: address, text: text)
        }
    }

    /// Notes that the trail records data events of `source`.
    @inline(__always) private func noteDataEvent(_ known: KnownEventSource, _ source: String) {
        let bit: UInt32 = known == .other ? 0 : 1 << UInt32(known.rawValue)
        if knownDataEventSources & bit != 0 { return }
        // (Data events come in runs of one service: the set is asked only when the source changes.)
        guard source != lastDataEventSource else { return }
        lastDataEventSource = source
        knownDataEventSources |= bit
        if dataEventSources.insert(source).inserted { dataEventPrefixes.insert(map.prefix(forEventSource: source)) }
    }

    /// `observe` at `Detail.counts`: the counts of each action, and unknown events as `full` counts them.
    private func count(_ acts: EventActions, _ event: ObservedRecord) {
        switch acts {
        case .noPermission: return
        case .unknown(let name): unknownEvents[name, default: 0] += 1
        case .actions(let actions):
            if actions.isEmpty { return }
            let r = event.record
            let s = slot(event.hashedPrincipalKey)
            let ok = r.succeeded, denied = !ok && r.isAccessDenied
            for action in actions {
                if ok {
                    parts[s].actions[action, default: ActionUsage()].successes += 1
                } else if denied {
                    parts[s].actions[action, default: ActionUsage()].denied += 1
                } else {
                    parts[s].actions[action, default: ActionUsage()].otherErrors += 1
                }
            }
        }
    }

    @inline(__always)
    private static func record(_ u: inout ActionUsage, ok: Bool, denied: Bool, time: Instant?, resources: [String],
                               address: SourceAddress, text: () -> String) {
        if ok {
            u.successes += 1
            if let t = time {
                if u.firstUsed == nil || t < u.firstUsed! { u.firstUsed = t }
                if u.lastUsed == nil || t > u.lastUsed! { u.lastUsed = t }
                u.activeDays.insert(t.dayFloor.millisecondsSince1970)
            }
            // Keep the smallest values so the result does not depend on which worker saw what first.
            for res in resources {
                ActionUsage.insertCapped(res, into: &u.resources, ceiling: &u.resourcesCeiling, last: &u.lastResource,
                                         ActionUsage.resourceCap)
            }
            if case .ip(let a) = address, u.offeredAddresses.contains(a) { return }
            let ip = text()
            if !ip.isEmpty {
                ActionUsage.insertCapped(ip, into: &u.sourceIPs, ceiling: &u.sourceIPsCeiling, last: &u.lastSourceIP, ActionUsage.ipCap)
                if case .ip(let a) = address, u.offeredAddresses.count < ActionUsage.offeredCap { u.offeredAddresses.append(a) }
            }
        } else if denied {
            u.denied += 1
        } else {
            u.otherErrors += 1
        }
    }

    public func merge(_ o: UsageAccumulator) {
        for part in o.parts {
            let s = slot(HashedString(part.key))
            for (a, u) in part.actions { parts[s].actions[a, default: ActionUsage()].merge(u) }
            if let f = part.first, parts[s].first == nil || f < parts[s].first! { parts[s].first = f }
            if let l = part.last, parts[s].last == nil || l > parts[s].last! { parts[s].last = l }
            for (day, d) in part.daily { parts[s].daily[day, default: DailyCalls()].merge(d) }
        }
        dataEventPrefixes.formUnion(o.dataEventPrefixes)
        dataEventSources.formUnion(o.dataEventSources)
        for (k, v) in o.unknownEvents { unknownEvents[k, default: 0] += v }
        // Caps are re-applied deterministically after a merge.
        for s in parts.indices {
            for a in Array(parts[s].actions.keys) {
                parts[s].actions[a]!.resources = ActionUsage.capped(parts[s].actions[a]!.resources, ActionUsage.resourceCap)
                parts[s].actions[a]!.sourceIPs = ActionUsage.capped(parts[s].actions[a]!.sourceIPs, ActionUsage.ipCap)
                parts[s].actions[a]!.resourcesCeiling = nil
                parts[s].actions[a]!.sourceIPsCeiling = nil
                parts[s].actions[a]!.lastResource = nil
                parts[s].actions[a]!.lastSourceIP = nil
                parts[s].actions[a]!.offeredAddresses = []
            }
        }
    }

    /// Usage of every principal key that `policies` describe (role ARNs with or without IAM path, sessions).
    public func usage(for policies: PrincipalPolicies) -> [IAMAction: ActionUsage] {
        var out: [IAMAction: ActionUsage] = [:]
        for p in parts.sorted(by: { $0.key < $1.key }) where !p.actions.isEmpty && policies.matches(arn: p.key) {
            for (a, u) in p.actions { out[a, default: ActionUsage()].merge(u) }
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
        slots = PositionTable()
        parts = []
        for key in Set(usage.keys).union(principalWindow.keys).union(dailyCalls.keys).sorted() {
            let s = slot(HashedString(key))
            parts[s].actions = usage[key] ?? [:]
            if let w = principalWindow[key] {
                parts[s].first = w.first
                parts[s].last = w.last
            }
            parts[s].daily = dailyCalls[key] ?? [:]
        }
        self.dataEventPrefixes = dataEventPrefixes
        self.unknownEvents = unknownEvents
        lastDataEventSource = nil
        knownDataEventSources = 0
    }
}
