/// A base-rule match kept for a correlation: when, in which group, the counted value, which rule of the
/// correlation (its slot) and where.
struct SigmaCorrelationEvent: Sendable {
    var time: Int64
    var group: [String]
    var value: String?
    var slot: Int
    var ref: EvidenceRef
}

/// Evaluates correlation rules over all their events once every worker's matches are merged.
///
/// The window is a sliding one: for `event_count` and `value_count` the condition is checked on the group's peak
/// (the most events, or distinct values, within any `timespan`), for `temporal` some window of `timespan` holds a
/// match of every rule, and for `temporal_ordered` one holds them in the listed order. Events are sorted by time,
/// then file and index, so the result does not depend on the order of files or workers.
enum SigmaCorrelationEvaluator {
    static func findings(_ c: SigmaCorrelation, _ events: [SigmaCorrelationEvent], dropped: Int, untimed: Int) -> [Finding] {
        var groups: [[String]: [SigmaCorrelationEvent]] = [:]
        for e in events { groups[e.group, default: []].append(e) }
        var out: [Finding] = []
        let span = c.timespan * 1000
        for (group, var list) in groups {
            list.sort { a, b in
                if a.time != b.time { return a.time < b.time }
                if a.ref.file != b.ref.file { return a.ref.file < b.ref.file }
                if a.ref.index != b.ref.index { return a.ref.index < b.ref.index }
                return a.slot < b.slot
            }
            guard let (peak, window) = evaluate(c, list, span: span) else { continue }
            var tally = Tally()
            tally.count = window.count
            tally.firstSeen = window.first.map { Instant(millisecondsSince1970: $0.time) }
            tally.lastSeen = window.last.map { Instant(millisecondsSince1970: $0.time) }
            for e in window { tally.evidence.add(e.ref) }
            var subject: [String: String] = [:]
            for (k, field) in c.groupBy.enumerated() { subject[field] = group[k] }
            let shown = c.groupBy.enumerated().map { "\($0.element)=\(group[$0.offset])" }.joined(separator: ", ")
            var details: [String: [String]] = ["rule": [c.id], "rule file": [c.file], "correlation": [c.kind.rawValue],
                                               "peak": [String(peak)], "timespan seconds": [String(c.timespan)]]
            if !c.tags.isEmpty { details["tags"] = c.tags }
            if !c.references.isEmpty { details["references"] = c.references }
            if !c.falsePositives.isEmpty { details["false positives"] = c.falsePositives }
            if dropped > 0 { details["events not kept"] = ["\(dropped) matches beyond \(SigmaRuleAccumulator.maxEvents) were not kept"] }
            if untimed > 0 { details["events without time"] = ["\(untimed) matches had no usable eventTime"] }
            out.append(Finding(detector: "sigma:" + c.id, severity: c.severity, principal: nil, subject: subject,
                               tally: tally, message: .sigmaCorrelation(c, peak: peak, groups: shown), details: details))
        }
        return out
    }

    /// The peak and the events of the window that shows the condition holding (the earliest such), or nil.
    static func evaluate(_ c: SigmaCorrelation, _ list: [SigmaCorrelationEvent], span: Int64) -> (Int, ArraySlice<SigmaCorrelationEvent>)? {
        switch c.kind {
        case .eventCount:
            var best = (peak: 0, lo: 0, hi: 0)
            var lo = 0
            for hi in list.indices {
                while list[hi].time - list[lo].time > span { lo += 1 }
                let n = hi - lo + 1
                if n > best.peak { best = (n, lo, hi) }
            }
            guard best.peak > 0, c.condition.allSatisfy({ $0.0.holds(best.peak, $0.1) }) else { return nil }
            return (best.peak, list[best.lo...best.hi])
        case .valueCount:
            var counts: [String: Int] = [:]
            var best = (peak: 0, lo: 0, hi: 0)
            var lo = 0
            for hi in list.indices {
                counts[list[hi].value ?? "", default: 0] += 1
                while list[hi].time - list[lo].time > span {
                    let v = list[lo].value ?? ""
                    counts[v]! -= 1
                    if counts[v] == 0 { counts[v] = nil }
                    lo += 1
                }
                if counts.count > best.peak { best = (counts.count, lo, hi) }
            }
            guard best.peak > 0, c.condition.allSatisfy({ $0.0.holds(best.peak, $0.1) }) else { return nil }
            return (best.peak, list[best.lo...best.hi])
        case .temporal:
            let k = c.rules.count
            var counts = Array(repeating: 0, count: k)
            var present = 0
            var lo = 0
            for hi in list.indices {
                if counts[list[hi].slot] == 0 { present += 1 }
                counts[list[hi].slot] += 1
                while list[hi].time - list[lo].time > span {
                    counts[list[lo].slot] -= 1
                    if counts[list[lo].slot] == 0 { present -= 1 }
                    lo += 1
                }
                if present == k {
                    // Shrink from the left while every rule stays present, to show the tightest window.
                    while counts[list[lo].slot] > 1 { counts[list[lo].slot] -= 1; lo += 1 }
                    return (k, list[lo...hi])
                }
            }
            return nil
        case .temporalOrdered:
            let k = c.rules.count
            for start in list.indices where list[start].slot == 0 {
                var at = start
                var ok = true
                for slot in 1..<max(k, 1) {
                    guard let next = list[(at + 1)...].firstIndex(where: { $0.slot == slot }) else { ok = false; break }
                    at = next
                }
                if ok && list[at].time - list[start].time <= span { return (k, list[start...at]) }
                if !ok { break }  // a later start cannot find what an earlier one did not
            }
            return nil
        }
    }
}
