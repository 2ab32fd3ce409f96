/// `long-term-credentials`: Bedrock or AgentCore calls made with credentials that do not expire: the Root
/// user, a long-term IAM access key (`AKIA...`), or a Bedrock API key (`additionalEventData` with
/// `"callWithBearerToken": true` — on bedrock-mantle calls `requestParameters`, where that endpoint records it (AWS doc
/// "Monitor bedrock-mantle API calls using CloudTrail") — or an IAM user named `BedrockAPIKey-*`). Each call is classified once, in
/// that order of precedence. Subject `credential`: `root`, `bedrock-api-key` or `access-key`.
/// Medium; high for Root.
public struct LongTermCredentialsDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "long-term-credentials", defaultSeverity: .medium,
        summary: "Bedrock/AgentCore calls with AKIA keys, root or Bedrock API keys")
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        LongTermCredentialsAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.agentAdditionalEventData, .agentAndAuditRequestParameters] }

    /// The kind of long-term credential behind a record, or nil. `apiKeyUserArn`: whether the principal's ARN names a
    /// Bedrock API key's IAM user (`isAPIKeyUser(arn:)`; passed in, so that it can be remembered per principal).
    static func credential(_ r: CloudTrailRecord, apiKeyUserArn: Bool) -> String? {
        if r.principal.isRoot { return "root" }
        if EventSignals.raw(r.additionalEventData, key: "callWithBearerToken", hasLiteral: "true") { return "bedrock-api-key" }
        if r.isBedrockMantle, EventSignals.raw(r.requestParameters, key: "callWithBearerToken", hasLiteral: "true") {
            return "bedrock-api-key"
        }
        if let user = r.principal.userName, StringBytes.hasPrefix(user, "BedrockAPIKey-") { return "bedrock-api-key" }
        if apiKeyUserArn { return "bedrock-api-key" }
        if r.principal.accessKeyKind == .longTerm { return "access-key" }
        return nil
    }

    /// The ARN names the IAM user AWS makes for a long-term Bedrock API key (`…:user/BedrockAPIKey-…`).
    static func isAPIKeyUser(arn: String?) -> Bool {
        arn.map { EventSignals.contains($0, ":user/BedrockAPIKey-") } ?? false
    }
}

/// Per (principal, credential kind): calls, actions and access key ids.
final class LongTermCredentialsAccumulator: DetectorAccumulator {
    private struct Key: Hashable, Codable {
        var principal: String
        var credential: String
    }

    private let detector: LongTermCredentialsDetector
    private var tallies: [Key: Tally] = [:]
    private var actions: [Key: Set<String>] = [:]
    private var keys: [Key: Set<String>] = [:]
    /// `LongTermCredentialsDetector.isAPIKeyUser(arn:)` of recent principals (a byte search of the ARN per Bedrock
    /// record, ~800 instructions, otherwise).
    private var apiKeyUsers = PrincipalFieldCache<Bool>()

    init(detector: LongTermCredentialsDetector) { self.detector = detector }

    func observesAction(of record: CloudTrailRecord) -> Bool { record.isBedrock || record.isAgentCore }

    func observe(_ event: ObservedRecord) {
        // (The guard apart from the rest, which passes the whole record out of line: see `ObservedRecord`.)
        if observesAction(of: event.record) { observeBedrockOrAgentCore(event) }
    }

    @inline(never) private func observeBedrockOrAgentCore(_ event: ObservedRecord) {
        let r = event.record
        let apiKeyUser = apiKeyUsers.value(r.principal.fieldsID, field: r.principal.arn, LongTermCredentialsDetector.isAPIKeyUser)
        guard let credential = LongTermCredentialsDetector.credential(r, apiKeyUserArn: apiKeyUser) else { return }
        let key = Key(principal: event.principalKey, credential: credential)
        tallies.add(event, at: key)
        actions[key, default: []].insert(r.actionLabel)
        if let k = r.principal.accessKeyId, !k.isEmpty { keys[key, default: []].insert(k) }
    }

    func merge(_ o: LongTermCredentialsAccumulator) {
        tallies.mergeTallies(o.tallies)
        for (k, v) in o.actions { actions[k, default: []].formUnion(v) }
        for (k, v) in o.keys { keys[k, default: []].formUnion(v) }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        EventSignals.sorted(tallies.map { key, tally in
            let acts = (actions[key] ?? []).sorted()
            return Finding(
                detector: detector.id, severity: key.credential == "root" ? .high : detector.defaultSeverity,
                principal: key.principal, subject: ["credential": key.credential], tally: tally,
                message: .longTermCredentialCalls(tally.count, credential: key.credential, actions: acts),
                details: ["actions": acts, "accessKeys": (keys[key] ?? []).sorted()])
        })
    }
}

fileprivate extension Finding.Message {
    /// `calls` Bedrock/AgentCore calls (`actions`, sorted) made with a long-term `credential`: `root`,
    /// `bedrock-api-key`, or any other value for an IAM user's access key.
    static func longTermCredentialCalls(_ calls: Int, credential: String, actions: [String]) -> Self {
        let what: String
        let advice: String
        switch credential {
        case "root":
            what = "the Root user"
            advice = "Stop using the Root user for Bedrock/AgentCore; use an IAM role with temporary credentials."
        case "bedrock-api-key":
            what = "a Bedrock API key"
            advice = "Prefer short-lived credentials over Bedrock API keys; if one is needed, scope it narrowly and set an expiry."
        default:
            what = "a long-term access key"
            advice = "Replace long-term access keys with an IAM role (temporary credentials) and deactivate the key."
        }
        return Self(title: "\(EventSignals.plural(calls, "Bedrock/AgentCore call")) with \(what): \(EventSignals.list(actions))",
                    recommendation: advice)
    }
}

extension LongTermCredentialsAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(tallies, "tallies")
        try c.put(actions, "actions")
        try c.put(keys, "keys")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        tallies = try c.get("tallies")
        actions = try c.get("actions")
        keys = try c.get("keys")
    }
}
