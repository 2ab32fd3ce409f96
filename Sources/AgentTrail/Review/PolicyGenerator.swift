import Foundation

/// A least-privilege identity policy built from a principal's successful calls.
public struct RecommendedPolicy: Sendable {
    /// One Allow statement: actions of one service sharing the same resources.
    public struct Statement: Sendable, Hashable {
        public var sid: String
        public var actions: [IAMAction]
        public var resources: [String]
    }

    /// An action the policy holds because the catalogue lists it as needed by an action that was called (SAR's
    /// "Dependent actions", e.g. `iam:PassRole` for `bedrock-agentcore:CreateAgentRuntime`).
    public struct Dependency: Sendable, Hashable {
        public var action: IAMAction
        /// The called actions whose catalogue entry lists it, sorted.
        public var neededBy: [IAMAction]
        /// What the policy grants it on (empty when `included` is false).
        public var resources: [String]
        /// True when it is in the policy; false when it was left out (see `why`).
        public var included: Bool
        /// True when it was also called itself (then it is in the policy anyway).
        public var calledItself: Bool
        /// Why these resources, or why it was left out.
        public var why: String
    }

    public var statements: [Statement]
    /// Dependent actions of the called actions, sorted by action.
    public var dependencies: [Dependency] = []
    /// The policy document text (pretty JSON, IAM format).
    public var json: String
    /// Linter findings that make the policy invalid (unknown action, wrong ARN type, resource not applicable).
    /// Empty for a valid policy.
    public var problems: [LintFinding]

    /// Every action the policy allows, sorted.
    public var actions: [IAMAction] { statements.flatMap(\.actions).sorted() }
    /// Action → the called actions that need it (for dependent actions only).
    public var neededBy: [IAMAction: [IAMAction]] {
        Dictionary(uniqueKeysWithValues: dependencies.filter(\.included).map { ($0.action, $0.neededBy) })
    }
    /// One line per dependent action, for `agenttrail policy`'s stderr and the reports:
    /// `iam:PassRole needed by bedrock-agentcore:UpdateAgentRuntime: the role ARN named in the requests of …`.
    public var dependencyNotes: [String] {
        dependencies.map { d in
            "\(d.action) needed by \(d.neededBy.map(\.description).joined(separator: ", "))"
                + (d.included ? (d.calledItself ? ": " : " (added): ") : " (not added): ") + d.why
        }
    }
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
///
/// Dependent actions (catalogue `dependentActions`, SAR's "Dependent actions" column) of the called actions:
/// - one that was called itself is in the policy already (with its own resources) and is only marked as needed;
/// - a permission-only one (`iam:PassRole`: checked during the call, never logged) is added, on the resources of its
///   type that the calls of the actions needing it named (for `iam:PassRole` the role ARNs in `requestParameters`);
///   `*` when some such call named none, and `why` says so;
/// - any other one (logged under its own name, e.g. `kms:Decrypt`, `ec2:CreateTags`) that was never called is left
///   out: SAR lists it for some variants of the call (a customer-managed key, tags), and the window shows this
///   principal's calls did not need it.
public enum PolicyGenerator {
    /// The policy for `scopes` (action → scope of successful calls).
    public static func make(_ scopes: [IAMAction: ResourceScope], catalogue: ActionCatalogue = .shared) -> RecommendedPolicy {
        var byService: [String: [[String]: [IAMAction]]] = [:]
        var called: [IAMAction: [String]] = [:]
        for (action, scope) in scopes {
            let canonical = catalogue.action(named: action)?.action ?? action
            let res = resources(for: canonical, scope: scope, catalogue: catalogue)
            called[canonical] = res
            byService[canonical.prefix, default: [:]][res, default: []].append(canonical)
        }
        let deps = dependencies(scopes, called: called, catalogue: catalogue)
        for d in deps where d.included && !d.calledItself {
            byService[d.action.prefix, default: [:]][d.resources, default: []].append(d.action)
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
        return RecommendedPolicy(statements: statements, dependencies: deps, json: json, problems: problems)
    }

    /// The dependent actions of the called actions (see the type's documentation).
    static func dependencies(_ scopes: [IAMAction: ResourceScope], called: [IAMAction: [String]],
                             catalogue: ActionCatalogue) -> [RecommendedPolicy.Dependency] {
        var neededBy: [IAMAction: Set<IAMAction>] = [:]
        var evidence: [IAMAction: ResourceScope] = [:]
        for (action, scope) in scopes {
            let canonical = catalogue.action(named: action)?.action ?? action
            for dep in catalogue.action(named: canonical)?.dependentActions ?? [] {
                let d = catalogue.action(named: dep)?.action ?? dep
                guard d != canonical else { continue }
                neededBy[d, default: []].insert(canonical)
                if let s = scope.dependents[d] { evidence[d, default: ResourceScope()].merge(s, prefix: d.prefix) }
            }
        }
        var out: [RecommendedPolicy.Dependency] = []
        for (d, by) in neededBy {
            let needers = by.sorted()
            let names = needers.map(\.description).joined(separator: ", ")
            if let own = called[d] {
                out.append(.init(action: d, neededBy: needers, resources: own, included: true, calledItself: true,
                                 why: "called itself; the catalogue also lists it as needed by \(names)"))
            } else if catalogue.action(named: d)?.permissionOnly == true {
                let e = evidence[d] ?? ResourceScope()
                let named = e.arns.union(e.patterns)
                let type = typeNames(d, catalogue)
                if !named.isEmpty && e.unresolvedCalls == 0 {
                    out.append(.init(action: d, neededBy: needers, resources: named.sorted(), included: true, calledItself: false,
                                     why: "the \(type) named in the requests of \(names)"))
                } else if named.isEmpty && e.unresolvedCalls == 0 && e.namedNoneCalls > 0 {
                    out.append(.init(action: d, neededBy: needers, resources: [], included: false, calledItself: false,
                                     why: "the logged requests of \(names) name no \(type): these calls did not need it"))
                } else {
                    let why = named.isEmpty
                        ? "the requests of \(names) are not in the logs (no requestParameters), so the \(type) is unknown: Resource \"*\"; narrow it by hand"
                        : "\(e.unresolvedCalls) call(s) of \(names) have no logged request, so Resource \"*\" (the others name \(named.sorted().prefix(3).joined(separator: ", "))); narrow it by hand"
                    out.append(.init(action: d, neededBy: needers, resources: ["*"], included: true, calledItself: false, why: why))
                }
            } else {
                out.append(.init(action: d, neededBy: needers, resources: [], included: false, calledItself: false,
                                 why: "never called in these logs: the calls of \(names) did not need it (SAR lists it for some variants)"))
            }
        }
        return out.sorted { $0.action < $1.action }
    }

    /// `role ARN`, `key ARN`, ... for the required resource types of `action`; `resource` when it has none.
    static func typeNames(_ action: IAMAction, _ catalogue: ActionCatalogue) -> String {
        let types = (catalogue.action(named: action)?.resourceTypes ?? []).map(\.name)
        return types.isEmpty ? "resource" : types.map { $0 + " ARN" }.joined(separator: " or ")
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
