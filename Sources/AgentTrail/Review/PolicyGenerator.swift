import Foundation

/// A least-privilege identity policy built from a principal's successful calls.
public struct RecommendedPolicy: Sendable {
    /// One Allow statement: actions of one service sharing the same resources.
    public struct Statement: Sendable, Hashable {
        public var sid: String
        public var actions: [IAMAction]
        public var resources: [String]
    }

    public var statements: [Statement]
    /// The policy document text (pretty JSON, IAM format).
    public var json: String
    /// Linter findings that make the policy invalid (unknown action, wrong ARN type, resource not applicable).
    /// Empty for a valid policy.
    public var problems: [LintFinding]

    /// Every action the policy allows, sorted.
    public var actions: [IAMAction] { statements.flatMap(\.actions).sorted() }
    /// Resources per action.
    public var resourcesByAction: [IAMAction: [String]] {
        var out: [IAMAction: [String]] = [:]
        for s in statements { for a in s.actions { out[a, default: []] += s.resources } }
        return out.mapValues { Array(Set($0)).sorted() }
    }
    /// The policy as a parsed document (for evaluation).
    public var document: PolicyDocument? { try? PolicyDocument.parse(data: Data(json.utf8), name: "recommended") }
}

/// Builds right-sized policies from `ResourceScope`s.
///
/// Resources per action:
/// - `*` when the catalogue lists no resource type for the action (it supports no resource-level permissions,
///   e.g. `bedrock-agentcore:CreateAgentRuntime`, `bedrock:ListFoundationModels`);
/// - otherwise the ARNs seen whose resource type the action supports (runtime and runtime-endpoint for
///   `InvokeAgentRuntime`; an inference profile also gets `arn:aws:bedrock:*::foundation-model/<model>`, which
///   Bedrock checks for cross-region inference);
/// - S3 objects as `arn:aws:s3:::bucket/<prefix>*`, where the prefix is the keys' longest common prefix cut after
///   its last `/` (or the common prefix itself when it has no `/`; empty → `bucket/*`);
/// - CloudWatch Logs streams as `log-group:<group>:log-stream:*` (a new stream per session);
/// - past `ResourceScope.cap` distinct ARNs, the type pattern of each (`table/*` in that account and region);
/// - when some successful call named no applicable resource, the service pattern `arn:aws:<service>:<region>:*:*`
///   for the regions of those calls (`*` for services without regions): the resource checked is not in the log.
public enum PolicyGenerator {
    /// The policy for `scopes` (action → scope of successful calls).
    public static func make(_ scopes: [IAMAction: ResourceScope], catalogue: ActionCatalogue = .shared) -> RecommendedPolicy {
        var byService: [String: [[String]: [IAMAction]]] = [:]
        for (action, scope) in scopes {
            let canonical = catalogue.action(named: action)?.action ?? action
            byService[canonical.prefix, default: [:]][resources(for: canonical, scope: scope, catalogue: catalogue), default: []].append(canonical)
        }
        var statements: [RecommendedPolicy.Statement] = []
        for prefix in byService.keys.sorted() {
            let groups = byService[prefix]!.map { (resources: $0.key, actions: $0.value.sorted()) }
                .sorted { $0.actions[0] < $1.actions[0] }
            for (i, g) in groups.enumerated() {
                statements.append(.init(sid: sid(prefix) + (i == 0 ? "" : String(i + 1)), actions: g.actions, resources: g.resources))
            }
        }
        let json = document(statements)
        var problems: [LintFinding] = []
        if let doc = try? PolicyDocument.parse(data: Data(json.utf8), name: "recommended") {
            let fatal: Set<String> = ["unknown-action", "unknown-resource-type", "resource-not-applicable", "invalid-document",
                                      "wildcard-matches-nothing", "missing-resource"]
            problems = PolicyLinter(catalogue: catalogue).lint(doc).filter { fatal.contains($0.rule) }
        } else {
            problems = [LintFinding(rule: "invalid-document", severity: .high, file: "", document: "recommended", jsonPath: "",
                                    message: "the generated policy does not parse")]
        }
        return RecommendedPolicy(statements: statements, json: json, problems: problems)
    }

    /// Resources for one action (sorted).
    static func resources(for action: IAMAction, scope: ResourceScope, catalogue: ActionCatalogue) -> [String] {
        guard let info = catalogue.action(named: action), info.supportsResourceLevelPermissions else { return ["*"] }
        let names = Set(info.resourceTypes.map(\.name))
        var out = scope.arns.union(scope.patterns)
        for (key, keyPrefix) in scope.objectPrefixes {
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            out.insert("arn:\(parts[0]):s3:::\(parts[1])/\(objectPrefix(keyPrefix))*")
        }
        if names.contains("foundation-model") {
            for arn in scope.arns {
                guard let a = ARN(arn), a.service == "bedrock", a.resource.hasPrefix("inference-profile/") else { continue }
                let id = String(a.resource.dropFirst("inference-profile/".count))
                guard let dot = id.firstIndex(of: "."), ResourceExtractor.isInferenceProfile(id) else { continue }
                out.insert("arn:\(a.partition):bedrock:*::foundation-model/\(id[id.index(after: dot)...])")
            }
        }
        // Log streams come and go (one per runtime session): scope them to their log group.
        for arn in out where arn.hasPrefix("arn:") && arn.contains(":logs:") {
            guard let r = arn.range(of: ":log-stream:") else { continue }
            out.remove(arn)
            out.insert(String(arn[..<r.upperBound]) + "*")
        }
        if scope.unresolvedCalls > 0 || out.isEmpty {
            let types = catalogue.resourceTypes(prefix: action.prefix).filter { names.contains($0.name) }
            var services: [String: Bool] = [:]
            for t in types { services[t.arnService, default: true] = services[t.arnService, default: true] && t.arnTemplate.contains("${Region}") }
            let regions = scope.regions.isEmpty ? ["*"] : scope.regions.sorted()
            for (service, regional) in services {
                for r in (regional ? regions : ["*"]) { out.insert("arn:aws:\(service):\(r):*:*") }
            }
            if services.isEmpty { out.insert("*") }
        }
        if out.contains("*") { return ["*"] }
        return out.sorted()
    }

    /// The common key prefix cut after its last `/`; unchanged when it has none.
    static func objectPrefix(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return p }
        return String(p[...slash])
    }

    /// Fills an ARN template: partition, region and account as given, every other variable `*`.
    public static func fill(_ template: String, partition: String, region: String, account: String) -> String {
        var out = template.replacingOccurrences(of: "${Partition}", with: partition)
            .replacingOccurrences(of: "${Region}", with: region)
            .replacingOccurrences(of: "${Account}", with: account)
        while let open = out.range(of: "${"), let close = out[open.upperBound...].firstIndex(of: "}") {
            out.replaceSubrange(open.lowerBound...close, with: "*")
        }
        return out
    }

    /// `bedrock-agentcore` → `BedrockAgentcore`.
    static func sid(_ prefix: String) -> String {
        prefix.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The IAM policy JSON text.
    static func document(_ statements: [RecommendedPolicy.Statement]) -> String {
        JSONValue.object([
            ("Version", .string("2012-10-17")),
            ("Statement", .array(statements.map { s in
                .object([("Sid", .string(s.sid)), ("Effect", .string("Allow")),
                         ("Action", .array(s.actions.map { .string($0.description) })),
                         ("Resource", .array(s.resources.map { .string($0) }))])
            })),
        ]).serialized(pretty: true)
    }
}
