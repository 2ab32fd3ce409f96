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
        ModelAccessChangeAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }
}

/// Per (principal, action): all, and denied, calls.
final class ModelAccessChangeAccumulator: DetectorAccumulator {
    private struct Key: Hashable {
        var principal: String
        var action: String
    }

    private let detector: ModelAccessChangeDetector
    private var tallies: [Key: Tally] = [:]
    private var denied: [Key: Int] = [:]

    init(detector: ModelAccessChangeDetector) { self.detector = detector }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard r.isBedrock, ModelAccessChangeDetector.actions.contains(r.eventName) else { return }
        let isDenied = r.isAccessDenied
        guard r.succeeded || isDenied else { return }
        let key = Key(principal: event.principalKey, action: EventSignals.action(r))
        tallies.add(event, at: key)
        if isDenied { denied[key, default: 0] += 1 }
    }

    func merge(_ o: ModelAccessChangeAccumulator) {
        tallies.mergeTallies(o.tallies)
        for (k, v) in o.denied { denied[k, default: 0] += v }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        EventSignals.sorted(tallies.map { key, tally in
            let d = denied[key] ?? 0
            let ok = tally.count - d
            var parts: [String] = []
            if ok > 0 { parts.append("\(ok) succeeded") }
            if d > 0 { parts.append("\(d) denied") }
            return Finding(
                detector: detector.id, severity: detector.defaultSeverity,
                title: "Bedrock model access change \(key.action): \(parts.joined(separator: ", "))",
                principal: key.principal, subject: ["action": key.action], tally: tally,
                recommendation: "Confirm this model-access change was approved; unexpected ones are a step in LLMjacking.",
                details: ["outcome": parts])
        })
    }
}
