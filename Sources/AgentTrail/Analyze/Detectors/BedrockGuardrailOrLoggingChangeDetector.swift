/// `bedrock-guardrail-or-logging-change`: model-invocation logging or guardrails being removed or changed on
/// `bedrock.amazonaws.com`. High for deletes, medium otherwise; a denied attempt is reported one severity
/// lower than a successful change. Read-only calls (`ListGuardrails`, `Get...`) never fire.
/// Subject: `action` (`bedrock:DeleteGuardrail`) and `region`.
public struct BedrockGuardrailOrLoggingChangeDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "bedrock-guardrail-or-logging-change", defaultSeverity: .medium,
        summary: "guardrail or invocation-logging changes (high for deletes)")
    public var descriptor: DetectorDescriptor { Self.descriptor }

    /// Event names that change logging or guardrails.
    public static let actions: Set<String> = [
        "DeleteModelInvocationLoggingConfiguration", "PutModelInvocationLoggingConfiguration",
        "DeleteGuardrail", "UpdateGuardrail", "DeleteEnforcedGuardrailConfiguration", "PutEnforcedGuardrailConfiguration",
    ]

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        BedrockGuardrailOrLoggingChangeAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    /// Severity of a successful change: high for deletes, otherwise the default.
    func severity(for eventName: String) -> Severity {
        eventName.hasPrefix("Delete") ? .high : defaultSeverity
    }
}

/// Per (principal, action, region): successful and denied changes.
final class BedrockGuardrailOrLoggingChangeAccumulator: DetectorAccumulator {
    private let detector: BedrockGuardrailOrLoggingChangeDetector
    private var state = OutcomeTallies()

    init(detector: BedrockGuardrailOrLoggingChangeDetector) { self.detector = detector }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard r.isBedrock, BedrockGuardrailOrLoggingChangeDetector.actions.contains(r.eventName) else { return }
        state.observe(event)
    }

    func merge(_ o: BedrockGuardrailOrLoggingChangeAccumulator) {
        state.merge(o.state)
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        EventSignals.sorted(state.entries.map { e in
            let base = detector.severity(for: e.key.eventName)
            let severity = e.succeeded > 0 ? base : EventSignals.lowered(base)
            let isLogging = e.key.eventName.contains("Logging")
            let outcome = OutcomeTallies.outcome(succeeded: e.succeeded, denied: e.denied)
            return Finding(
                detector: detector.id, severity: severity,
                title: "\(e.key.eventName) in \(e.key.region): \(outcome.joined(separator: ", "))",
                principal: e.key.principal, subject: ["action": e.key.action, "region": e.key.region], tally: e.tally,
                recommendation: isLogging
                    ? "Confirm this change to Bedrock invocation logging was approved; attackers disable it to hide model abuse."
                    : "Confirm this guardrail change was approved; removing guardrails weakens protection of model use.",
                details: ["outcome": outcome])
        })
    }
}
