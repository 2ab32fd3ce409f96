/// Adding decoded records to the evidence types of `Findings/` (which know nothing of records).
extension Evidence {
    /// `add(event.evidenceRef)`, without building the reference when the list is full and the event sorts after
    /// its last item (then it is only counted).
    @inline(__always)
    mutating func add(_ event: ObservedRecord) {
        if items.count >= Evidence.cap, let last = items.last,
           !EvidenceRef.sorts(time: event.record.eventTime, file: event.file, index: event.index, before: last) {
            total += 1
            return
        }
        add(event.evidenceRef)
    }
}

extension Tally {
    /// Counts the record, widens first/last seen and keeps its reference as evidence. (Inlined: ~55 instructions when
    /// the reference is not kept, most calls; the insertion stays out of line in `Evidence.add(_: EvidenceRef)`.)
    @inline(__always)
    public mutating func add(_ event: ObservedRecord) {
        count += 1
        if let t = event.record.eventTime {
            if firstSeen == nil || t < firstSeen! { firstSeen = t }
            if lastSeen == nil || t > lastSeen! { lastSeen = t }
        }
        evidence.add(event)
    }
}

extension Dictionary where Value == Tally {
    /// Adds an event to the tally at `key`.
    public mutating func add(_ event: ObservedRecord, at key: Key) {
        self[key, default: Tally()].add(event)
    }
}
