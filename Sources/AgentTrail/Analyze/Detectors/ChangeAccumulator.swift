/// The control-plane changes a change detector reports: audit tampering, guardrail or invocation-logging changes,
/// model-access changes. Each observes the records that make one of its changes, tallies them per
/// `ChangeAccumulator.Key` with their outcomes, and turns each key into one finding.
protocol ChangeDetector: Detector {
    /// False when no record of `record`'s eventSource and eventName can be a change this detector reports: it must
    /// depend on those two fields only (the accumulator's `observesAction`). `change` is then not asked; each
    /// detector's `change` starts with it.
    func mayChange(_ record: CloudTrailRecord) -> Bool
    /// The change `event` makes, or nil when it is not one this detector reports (or its outcome is not counted).
    func change(_ event: ObservedRecord) -> ChangeAccumulator<Self>.Change?
    /// The finding of one key.
    func finding(_ key: ChangeAccumulator<Self>.Key, _ entry: ChangeAccumulator<Self>.Entry) -> Finding
}

/// Per change key: the tally, how many succeeded, the error codes of the others and the reasons given.
final class ChangeAccumulator<D: ChangeDetector>: DetectorAccumulator {
    /// What a change is grouped by. Fields a detector does not group by stay empty.
    struct Key: Hashable, Sendable, Codable {
        var principal: String
        var eventName: String = ""
        /// `service:EventName` (`CloudTrailRecord.actionLabel`).
        var action: String
        var region: String = ""
        /// A detector's own distinction (audit tampering: `stops`, `reduces`, `adds or keeps`).
        var variant: String = ""
    }

    /// One observed change.
    struct Change {
        var key: Key
        /// Why the change matters (audit tampering: what it turns off); merged as a set.
        var reasons: [String] = []
    }

    struct Entry: Codable {
        var tally = Tally()
        var succeeded = 0
        /// Error codes of the attempts that did not succeed (`failureCode`, else `error`).
        var errors: Set<String> = []
        var reasons: Set<String> = []
        /// Attempts that did not succeed.
        var failed: Int { tally.count - succeeded }

        mutating func merge(_ o: Entry) {
            tally.merge(o.tally)
            succeeded += o.succeeded
            errors.formUnion(o.errors)
            reasons.formUnion(o.reasons)
        }
    }

    private let detector: D
    private var entries: [Key: Entry] = [:]

    init(detector: D) { self.detector = detector }

    /// `detector.mayChange`: the scan (`AccumulatorObservers`) keeps it per action and does not call `observe` for
    /// the records of other actions (each of the three change detectors saw every record, ~120 instructions a record
    /// through the generic accumulator, a set lookup of the event name for every Bedrock record).
    func observesAction(of record: CloudTrailRecord) -> Bool { detector.mayChange(record) }

    func observe(_ event: ObservedRecord) {
        guard let change = detector.change(event) else { return }
        let r = event.record
        var e = entries[change.key] ?? Entry()
        e.tally.add(event)
        if r.succeeded { e.succeeded += 1 } else { e.errors.insert(r.failureCode ?? "error") }
        e.reasons.formUnion(change.reasons)
        entries[change.key] = e
    }

    func merge(_ o: ChangeAccumulator<D>) {
        for (k, v) in o.entries { entries[k, default: Entry()].merge(v) }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        EventSignals.sorted(entries.map { detector.finding($0.key, $0.value) })
    }

    /// `2 succeeded, 1 denied`.
    static func outcome(succeeded: Int, denied: Int) -> [String] {
        var parts: [String] = []
        if succeeded > 0 { parts.append("\(succeeded) succeeded") }
        if denied > 0 { parts.append("\(denied) denied") }
        return parts
    }
}

extension ChangeAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(entries, "entries")
    }

    func decodePartial(from decoder: any Decoder) throws {
        entries = try decoder.partialContainer().get("entries")
    }
}
