/// `cross-account-access`: a Bedrock or AgentCore call whose caller account (`userIdentity.accountId`)
/// differs from the account that received it (`recipientAccountId`). Both must be 12-digit account ids, so
/// `anonymous` callers are excluded; AWS service callers (`AWSService`) are excluded too.
/// Per principal and recipient account (subject `account`).
public struct CrossAccountAccessDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "cross-account-access", defaultSeverity: .medium,
        summary: "Bedrock/AgentCore calls whose caller account differs from the recipient account")
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        CrossAccountAccessAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.recipientAccountId] }
}

/// Per (principal, recipient account): calls, the caller's account and the actions.
final class CrossAccountAccessAccumulator: DetectorAccumulator {
    private struct Key: Hashable, Codable {
        var principal: String
        var callerAccount: String
        var recipient: String
    }

    private let detector: CrossAccountAccessDetector
    private var tallies: [Key: Tally] = [:]
    private var actions: [Key: Set<String>] = [:]

    init(detector: CrossAccountAccessDetector) { self.detector = detector }

    func observesAction(of record: CloudTrailRecord) -> Bool { record.isBedrock || record.isAgentCore }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard observesAction(of: r), !r.principal.isAWSService,
              let caller = r.principal.accountId, let recipient = r.recipientAccountId,
              caller != recipient, EventSignals.isAccountId(caller), EventSignals.isAccountId(recipient)
        else { return }
        let key = Key(principal: event.principalKey, callerAccount: caller, recipient: recipient)
        tallies.add(event, at: key)
        actions[key, default: []].insert(r.actionLabel)
    }

    func merge(_ o: CrossAccountAccessAccumulator) {
        tallies.mergeTallies(o.tallies)
        for (k, v) in o.actions { actions[k, default: []].formUnion(v) }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        // A principal ARN names its account, so (principal, recipient) is unique in practice; the caller account
        // is kept in the key anyway and, for synthetic principals, shown in details.
        var merged: [String: (Key, Tally, Set<String>, Set<String>)] = [:]
        for (key, tally) in tallies {
            let k = key.principal + "\u{0}" + key.recipient
            var entry = merged[k] ?? (key, Tally(), [], [])
            entry.1.merge(tally)
            entry.2.formUnion(actions[key] ?? [])
            entry.3.insert(key.callerAccount)
            if key.callerAccount < entry.0.callerAccount { entry.0 = key }
            merged[k] = entry
        }
        return EventSignals.sorted(merged.values.map { key, tally, acts, callers in
            let list = acts.sorted()
            let from = callers.sorted()
            return Finding(
                detector: detector.id, severity: detector.defaultSeverity,
                principal: key.principal, subject: ["account": key.recipient], tally: tally,
                message: .crossAccountCalls(tally.count, from: from, into: key.recipient, actions: list),
                details: ["actions": list, "callerAccounts": from])
        })
    }
}

fileprivate extension Finding.Message {
    /// `calls` Bedrock/AgentCore calls made from the accounts `callers` (sorted) into the account `recipient`.
    static func crossAccountCalls(_ calls: Int, from callers: [String], into recipient: String, actions: [String]) -> Self {
        Self(title: "\(EventSignals.plural(calls, "Bedrock/AgentCore call")) from account \(callers.joined(separator: ", ")) "
                + "into account \(recipient): \(EventSignals.list(actions))",
             recommendation: "Confirm this cross-account use of Bedrock/AgentCore is intended and scoped by the resource or trust policy.")
    }
}

extension CrossAccountAccessAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(tallies, "tallies")
        try c.put(actions, "actions")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        tallies = try c.get("tallies")
        actions = try c.get("actions")
    }
}
