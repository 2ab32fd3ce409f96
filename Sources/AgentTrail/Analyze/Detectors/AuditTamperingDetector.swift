/// `audit-tampering`: CloudTrail logging being stopped, deleted or reconfigured. Critical for `Stop*` /
/// `Delete*`, high otherwise. A denied attempt is still reported, one severity lower than a successful
/// change (it shows intent but changed nothing); calls failing for other reasons are ignored.
/// Subject: `action` (`cloudtrail:StopLogging`) and `region`.
public struct AuditTamperingDetector: Detector {
    public let id = "audit-tampering"
    public let defaultSeverity = Severity.high

    /// CloudTrail event names that weaken auditing.
    public static let actions: Set<String> = [
        "StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors",
        "DeleteEventDataStore", "StopEventDataStoreIngestion",
    ]

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        AuditTamperingAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    /// Severity of a successful change: critical for stops and deletes, otherwise the default.
    func severity(for eventName: String) -> Severity {
        eventName.hasPrefix("Stop") || eventName.hasPrefix("Delete") ? .critical : defaultSeverity
    }
}

/// Per (principal, action, region): successful and denied changes.
final class AuditTamperingAccumulator: DetectorAccumulator {
    private let detector: AuditTamperingDetector
    private var state = OutcomeTallies()

    init(detector: AuditTamperingDetector) { self.detector = detector }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard r.eventSource == "cloudtrail.amazonaws.com", AuditTamperingDetector.actions.contains(r.eventName) else { return }
        state.observe(event)
    }

    func merge(_ other: any DetectorAccumulator) {
        guard let o = other as? AuditTamperingAccumulator else { return }
        state.merge(o.state)
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        EventSignals.sorted(state.entries.map { e in
            let base = detector.severity(for: e.key.eventName)
            let severity = e.succeeded > 0 ? base : EventSignals.lowered(base)
            let outcome = OutcomeTallies.outcome(succeeded: e.succeeded, denied: e.denied)
            return Finding(
                detector: detector.id, severity: severity,
                title: "CloudTrail \(e.key.eventName) in \(e.key.region): \(outcome.joined(separator: ", "))",
                principal: e.key.principal, subject: ["action": e.key.action, "region": e.key.region], tally: e.tally,
                recommendation: e.succeeded > 0
                    ? "Verify the trail still logs everything it should and find out why it was changed; restrict cloudtrail write actions."
                    : "Someone tried to weaken CloudTrail and was denied: find out who holds these credentials.",
                details: ["outcome": outcome])
        })
    }
}
