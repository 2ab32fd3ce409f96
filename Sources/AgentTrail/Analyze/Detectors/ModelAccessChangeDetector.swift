/// `model-access-change`: Bedrock model access being enabled (`PutUseCaseForModelAccess`,
/// `PutFoundationModelEntitlement`, `CreateFoundationModelAgreement`), succeeded or denied, per principal and
/// action. Calls failing for other reasons (validation, throttling) are not reported.
public struct ModelAccessChangeDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "model-access-change", defaultSeverity: .medium,
        summary: "model access enabled or requested")
    public var descriptor: DetectorDescriptor { Self.descriptor }

    /// Event names that change model access.
    public static let actions: Set<String> = ["PutUseCaseForModelAccess", "PutFoundationModelEntitlement", "CreateFoundationModelAgreement"]

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        ChangeAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }
}

/// Per (principal, action): succeeded and denied calls.
extension ModelAccessChangeDetector: ChangeDetector {
    func mayChange(_ record: CloudTrailRecord) -> Bool { record.isBedrock && Self.actions.contains(record.eventName) }

    func change(_ event: ObservedRecord) -> ChangeAccumulator<Self>.Change? {
        let r = event.record
        guard mayChange(r), r.succeeded || r.isAccessDenied else { return nil }
        return .init(key: .init(principal: event.principalKey, action: r.actionLabel))
    }

    func finding(_ key: ChangeAccumulator<Self>.Key, _ e: ChangeAccumulator<Self>.Entry) -> Finding {
        let parts = ChangeAccumulator<Self>.outcome(succeeded: e.succeeded, denied: e.failed)
        return Finding(
            detector: id, severity: defaultSeverity,
            principal: key.principal, subject: ["action": key.action], tally: e.tally,
            message: .modelAccessChange(key.action, outcome: parts),
            details: ["outcome": parts])
    }
}

fileprivate extension Finding.Message {
    /// A change of model access by `action`, with its `outcome` (`ChangeAccumulator.outcome`: "2 succeeded", "1 denied").
    static func modelAccessChange(_ action: String, outcome: [String]) -> Self {
        Self(title: "Bedrock model access change \(action): \(outcome.joined(separator: ", "))",
             recommendation: "Confirm this model-access change was approved; unexpected ones are a step in LLMjacking.")
    }
}
