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
        ChangeAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    /// Severity of a successful change: high for deletes, otherwise the default.
    func severity(for eventName: String) -> Severity {
        eventName.hasPrefix("Delete") ? .high : defaultSeverity
    }
}

/// Per (principal, action, region): successful and denied changes.
extension BedrockGuardrailOrLoggingChangeDetector: ChangeDetector {
    func mayChange(_ record: CloudTrailRecord) -> Bool { record.isBedrock && Self.actions.contains(record.eventName) }

    func change(_ event: ObservedRecord) -> ChangeAccumulator<Self>.Change? {
        let r = event.record
        guard mayChange(r), r.succeeded || r.isAccessDenied else { return nil }
        return .init(key: .init(principal: event.principalKey, eventName: r.eventName, action: r.actionLabel,
                                region: r.awsRegion ?? "unknown"))
    }

    func finding(_ key: ChangeAccumulator<Self>.Key, _ e: ChangeAccumulator<Self>.Entry) -> Finding {
        let base = severity(for: key.eventName)
        let severity = e.succeeded > 0 ? base : EventSignals.lowered(base)
        let outcome = ChangeAccumulator<Self>.outcome(succeeded: e.succeeded, denied: e.failed)
        return Finding(
            detector: id, severity: severity,
            principal: key.principal, subject: ["action": key.action, "region": key.region], tally: e.tally,
            message: key.eventName.contains("Logging")
                ? .invocationLoggingChange(key.eventName, region: key.region, outcome: outcome)
                : .guardrailChange(key.eventName, region: key.region, outcome: outcome),
            details: ["outcome": outcome])
    }
}

fileprivate extension Finding.Message {
    /// A change of Bedrock model invocation logging (`eventName`) in `region`, with its `outcome`.
    static func invocationLoggingChange(_ eventName: String, region: String, outcome: [String]) -> Self {
        Self(title: "\(eventName) in \(region): \(outcome.joined(separator: ", "))",
             recommendation: "Confirm this change to Bedrock invocation logging was approved; attackers disable it to hide model abuse.")
    }

    /// A change of a Bedrock guardrail (`eventName`) in `region`, with its `outcome`.
    static func guardrailChange(_ eventName: String, region: String, outcome: [String]) -> Self {
        Self(title: "\(eventName) in \(region): \(outcome.joined(separator: ", "))",
             recommendation: "Confirm this guardrail change was approved; removing guardrails weakens protection of model use.")
    }
}
