/// Principal, action and region of a control-plane change.
struct ChangeKey: Hashable, Sendable {
    var principal: String
    var eventName: String
    var action: String
    var region: String
}

/// Tallies of successful and denied attempts per `ChangeKey`, for detectors that report a change when it
/// succeeded and, one severity lower, when it was attempted but denied. Other failures are not recorded.
struct OutcomeTallies: Sendable {
    private(set) var all: [ChangeKey: Tally] = [:]
    private(set) var succeeded: [ChangeKey: Int] = [:]

    /// Records the event when it succeeded or was denied.
    mutating func observe(_ event: ObservedRecord) {
        let r = event.record
        let ok = r.succeeded
        guard ok || r.isAccessDenied else { return }
        let key = ChangeKey(principal: event.principalKey, eventName: r.eventName, action: EventSignals.action(r),
                            region: r.awsRegion ?? "unknown")
        all.add(event, at: key)
        if ok { succeeded[key, default: 0] += 1 }
    }

    mutating func merge(_ other: OutcomeTallies) {
        all.mergeTallies(other.all)
        for (k, v) in other.succeeded { succeeded[k, default: 0] += v }
    }

    /// One entry per key: the tally, how many succeeded and how many were denied.
    var entries: [(key: ChangeKey, tally: Tally, succeeded: Int, denied: Int)] {
        all.map { k, t in
            let ok = succeeded[k] ?? 0
            return (k, t, ok, t.count - ok)
        }
    }

    /// `2 succeeded, 1 denied`.
    static func outcome(succeeded: Int, denied: Int) -> [String] {
        var parts: [String] = []
        if succeeded > 0 { parts.append("\(succeeded) succeeded") }
        if denied > 0 { parts.append("\(denied) denied") }
        return parts
    }
}
