/// Checks policy documents against the action catalogue and common mistakes.
///
/// Rules (id → default severity):
/// - `invalid-document` (high): the file or a document in it cannot be parsed as a policy.
/// - `missing-managed-policy` (medium): authorization details reference a policy or group not in the file.
/// - `unknown-action` (high): an action (or its service prefix) is not in the catalogue; with did-you-mean.
/// - `wildcard-matches-nothing` (medium): an action wildcard that matches no catalogue action.
/// - `unknown-resource-type` (high): an ARN whose resource part fits no resource type of its service (`agent-runtime/`).
/// - `action-wildcard` (critical): Allow with `Action: "*"`.
/// - `service-wildcard` (medium): Allow with `prefix:*`.
/// - `resource-wildcard` (medium): Allow with `Resource: "*"` for actions that support resource-level permissions.
/// - `resource-not-applicable` (high): Allow naming specific resources for actions that only support `Resource: "*"`
///   (e.g. top-level `Create*`): the statement does not grant them.
/// - `allow-not-action` (high): Allow with `NotAction` (grants everything else, including future actions).
/// - `unknown-condition-key` (medium): a condition key that does not exist (global `aws:` keys, unknown prefixes).
/// - `unknown-condition-operator` (high): an operator IAM does not have (the statement would be rejected).
/// - `invalid-condition-value` (medium): e.g. a non-CIDR value for `IpAddress`, a non-boolean for `Bool`.
/// - `missing-resource` (high): an identity statement without `Resource`/`NotResource`.
/// - `missing-version` (low): no `Version` (defaults to 2008-10-17: no policy variables).
/// - `trust-policy` (info): statements with `Principal` (a trust/resource policy, not an identity grant).
/// - `agentcore-passrole-escalation` (high; critical when the passable role looks like an administrator): in one
///   document, or across one principal's documents, `iam:PassRole` on any role (`*`, a wildcard role name,
///   `NotResource`) or on an administrator-looking role, not limited to other services by `iam:PassedToService`, with
///   an AgentCore action that attaches the role (`CreateAgentRuntime`, `UpdateAgentRuntime`, `CreateCodeInterpreter`,
///   `CreateBrowser`) and one that runs code in that resource (`InvokeAgentRuntime*`, `InvokeAgentRuntimeCommand*`,
///   `InvokeCodeInterpreter`, `StartBrowserSession` + `ConnectBrowserAutomationStream`) on resources that reach it.
///   The finding names every statement that combines (`statements`) and the smallest change that breaks the path.
/// - `agentcore-userid-token` (medium): an explicit grant of `GetWorkloadAccessTokenForUserId` without a
///   `bedrock-agentcore:userid` condition (the user ID is the caller's word; `GetWorkloadAccessTokenForJWT` verifies).
/// - `agentcore-starter-toolkit-role` (high): a role named `AmazonBedrockAgentCoreSDKRuntime-*` (starter toolkit)
///   whose statements reach other agents' memory, runtimes, code interpreters, browsers, gateways or ECR repositories
///   through wildcard resources.
/// - `deprecated-action` (medium; low when the document already names the replacement): an action AWS has retired
///   (`DeprecatedActions`: the `bedrock-agentcore` registry actions, deprecated since 2026-09 for `agent-registry:`).
///   Medium, not high: the grant no longer does anything, so it opens nothing, but the access it was written for is
///   gone (an Allow) or no longer blocked (a Deny) until the replacement is listed; below the default `--fail-on high`
///   so a policy mid-migration does not fail CI, above `low` so it is not lost among cosmetic findings.
public struct PolicyLinter: Sendable {
    public let catalogue: ActionCatalogue
    /// Role ARNs known (from the loaded policies) to allow `*` on `*`: passing them is an escalation to administrator.
    public var adminRoles: Set<String> = []

    public init(catalogue: ActionCatalogue = .shared) { self.catalogue = catalogue }

    /// Loads and lints files, folders and authorization-details files. Load errors become `invalid-document`
    /// (or `missing-managed-policy`) findings; the other documents are still checked.
    public func lint(paths: [String]) -> LintReport {
        let loaded = PolicyLoader().load(paths: paths)
        var linter = self
        linter.adminRoles.formUnion(AgentCoreEscalation.adminRoles(loaded.principals))
        return linter.lint(loaded)
    }

    func lint(_ loaded: PolicyLoader.Result) -> LintReport {
        var findings = loaded.errors.map { e in
            LintFinding(rule: e.code == .missingManagedPolicy ? "missing-managed-policy" : "invalid-document",
                        severity: e.code == .missingManagedPolicy ? .medium : .high,
                        file: e.file ?? "", document: NSStringPath(path: e.file ?? "").lastComponent, jsonPath: e.jsonPath, message: e.message)
        }
        var seen = Set<String>()
        var docs = [PolicyDocument]()
        func add(_ d: PolicyDocument) {
            if seen.insert((d.file ?? "") + "\u{1}" + d.jsonPath + "\u{1}" + d.name).inserted { docs.append(d) }
        }
        loaded.documents.forEach(add)
        for p in loaded.principals {
            p.policies.documents.forEach(add)
            if let t = p.trustPolicy { add(t) }
        }
        for d in docs { findings.append(contentsOf: lint(d)) }
        for p in loaded.principals where p.kind != .group { findings.append(contentsOf: agentCoreFindings(p)) }
        return LintReport(findings: findings, documentsChecked: docs.count,
                          damaged: loaded.errors.filter(\.isDamagedInput).map(\.damagedInput),
                          catalogue: catalogue.versionDescription)
    }

    /// Lints one document.
    public func lint(_ document: PolicyDocument) -> [LintFinding] {
        var out = [LintFinding]()
        func add(_ rule: String, _ severity: Severity, _ path: String, _ message: String, _ suggestion: String? = nil) {
            out.append(LintFinding(rule: rule, severity: severity, file: document.file ?? "", document: document.name,
                                   jsonPath: document.fullPath(path), message: message, suggestion: suggestion))
        }
        let isTrust = document.statements.contains { $0.hasPrincipal }
        if document.version == nil && !isTrust {
            add("missing-version", .low, "", "no Version: IAM assumes 2008-10-17, which has no policy variables",
                "add \"Version\": \"2012-10-17\"")
        }
        if isTrust {
            add("trust-policy", .info, "", "statements name a Principal: this is a trust/resource policy, not an identity grant")
        }
        let named = NamedActions(document)
        for st in document.statements {
            lintActions(st, add)
            lintDeprecated(st, named: named, add)
            lintResources(st, isTrust: isTrust, add)
            lintConditions(st, add)
        }
        return out + agentCoreFindings(document)
    }

    typealias Add = (String, Severity, String, String, String?) -> Void

    private func lintActions(_ st: Statement, _ add: Add) {
        var expanded = [IAMAction]()
        for (i, pattern) in st.action.patterns.enumerated() {
            let path = st.actionPath(i)
            let p = pattern.trimmingASCIIWhitespace
            if p == "*" || p == "*:*" {
                if st.effect == .allow, case .actions = st.action {
                    add("action-wildcard", .critical, path, "Allow with Action \"*\" grants every action of every service", nil)
                }
                continue
            }
            guard let colon = p.firstIndex(of: ":"), p.index(after: colon) < p.endIndex, colon > p.startIndex else {
                add("unknown-action", .high, path, "\"\(pattern)\" is not of the form service:Action", nil)
                continue
            }
            let prefix = String(p[..<colon])
            let name = p[p.index(after: colon)...]
            if !Glob.hasWildcard(prefix) && catalogue.service(prefix: prefix) == nil {
                let suggestion = IAMAction(String(p)).flatMap { catalogue.suggestions(for: $0).first }
                add("unknown-action", .high, path, "unknown service prefix \"\(prefix)\"",
                    suggestion.map { "did you mean \($0)?" })
                continue
            }
            if Glob.hasWildcard(p) {
                // (Unordered: only whether it matches, how many, and the set of all that the statement names are used.)
                let matched = catalogue.expandUnordered(pattern: String(p))
                expanded.append(contentsOf: matched)
                if matched.isEmpty {
                    add("wildcard-matches-nothing", .medium, path, "\"\(pattern)\" matches no action in the catalogue", nil)
                } else if name == "*", st.effect == .allow, case .actions = st.action {
                    add("service-wildcard", .medium, path,
                        "\"\(pattern)\" grants all \(matched.count) actions of \(catalogue.service(prefix: prefix)?.prefix ?? prefix)",
                        "list the actions the principal needs")
                }
                continue
            }
            guard let action = IAMAction(String(p)) else { continue }
            if let info = catalogue.action(named: action) {
                expanded.append(info.action)
            } else {
                let suggestions = catalogue.suggestions(for: action)
                add("unknown-action", .high, path, "\(action) is not an IAM action" +
                    (st.effect == .deny ? " (this Deny denies nothing)" : " (it grants nothing)"),
                    suggestions.isEmpty ? nil : "did you mean " + suggestions.map(\.description).joined(separator: ", ") + "?")
            }
        }
        if st.effect == .allow, case .actions = st.action, case .resources(let resources) = st.resource,
           !resources.contains(where: { Glob.matchesAsterisk($0) }) {
            // (Filtered, then sorted: the same list, fewer actions sorted.)
            let starOnly = Set(expanded).filter { catalogue.action(named: $0)?.supportsResourceLevelPermissions == false }.sorted()
            if !starOnly.isEmpty {
                let names = starOnly.prefix(5).map(\.description).joined(separator: ", ") + (starOnly.count > 5 ? ", ..." : "")
                add("resource-not-applicable", .high, st.resourceIsArray ? st.path + ".Resource" : st.resourcePath(0),
                    "\(starOnly.count) action(s) support only Resource \"*\", so this statement does not grant them: \(names)",
                    "move them to a statement with \"Resource\": \"*\"")
            }
        }
        if st.effect == .allow, case .notActions = st.action {
            add("allow-not-action", .high, st.path + ".NotAction",
                "Allow with NotAction grants every action not listed, including actions added to AWS later",
                "list allowed actions with Action instead")
        }
        // Resource "*" on actions that could be scoped.
        if st.effect == .allow, case .actions = st.action, case .resources(let resources) = st.resource,
           let star = resources.firstIndex(of: "*") {
            let scoped = Set(expanded).filter { catalogue.action(named: $0)?.supportsResourceLevelPermissions == true }.sorted()
            if !scoped.isEmpty && !st.action.patterns.contains(where: { $0.trimmingASCIIWhitespace == "*" }) {
                let examples = scoped.prefix(3).map(\.description).joined(separator: ", ")
                add("resource-wildcard", .medium, st.resourcePath(star),
                    "Resource \"*\" for \(scoped.count) action(s) that support resource-level permissions (\(examples)\(scoped.count > 3 ? ", ..." : ""))",
                    "name the resources (ARNs) instead")
            }
        }
    }

    /// The action patterns a document's Allow and Deny statements name (`Action`, not `NotAction`).
    struct NamedActions {
        var allow: [String] = []
        var deny: [String] = []
        init(_ document: PolicyDocument) {
            for st in document.statements where !st.hasPrincipal {
                guard case .actions(let patterns) = st.action else { continue }
                if st.effect == .allow { allow += patterns } else { deny += patterns }
            }
        }
        func names(_ action: IAMAction, effect: Effect) -> Bool {
            (effect == .allow ? allow : deny).contains { ActionCatalogue.action(action, matches: $0) }
        }
    }

    /// `deprecated-action`: literal retired actions, and wildcards that match nothing but retired actions
    /// (`bedrock-agentcore:*Registry*`); service-wide wildcards (`bedrock-agentcore:*`) are left to `service-wildcard`.
    private func lintDeprecated(_ st: Statement, named: NamedActions, _ add: Add) {
        guard case .actions(let patterns) = st.action, !st.hasPrincipal else { return }
        let retiredArns = st.resource.patterns.contains(where: DeprecatedActions.isRetiredRegistryArn)
        for (i, pattern) in patterns.enumerated() {
            let p = pattern.trimmingASCIIWhitespace
            let entries: [DeprecatedAction]
            if Glob.hasWildcard(p) {
                guard !p.hasSuffix(":*"), p != "*" else { continue }
                // (A pattern whose service part names, without wildcards, a service with no retired action matches
                // only that service's actions (`ActionPattern.servicePrefix`), none retired: not expanded. Expanding
                // and looking up every pattern was a fifth of a scan's lint of its policies.)
                if let prefix = ActionPattern(String(p)).servicePrefix, !DeprecatedActions.servicePrefixes.contains(prefix) { continue }
                let matched = catalogue.expand(pattern: String(p))
                let retired = matched.compactMap { DeprecatedActions.entry(for: $0) }
                guard !matched.isEmpty, retired.count == matched.count else { continue }
                entries = retired
            } else {
                guard let action = IAMAction(String(p)), let entry = DeprecatedActions.entry(for: action) else { continue }
                entries = [entry]
            }
            let replacements = entries.map(\.replacement)
            let covered = replacements.allSatisfy { named.names($0, effect: st.effect) }
            let since = entries.map(\.since).max() ?? ""
            let subject = Glob.hasWildcard(p) ? "\"\(pattern)\" matches only actions that are deprecated"
                                              : "\(entries[0].action) is deprecated"
            let use = replacements.count == 1 ? replacements[0].description
                : replacements.prefix(3).map(\.description).joined(separator: ", ") + (replacements.count > 3 ? ", ..." : "")
            var message = "\(subject) since \(since), use \(use)"
            if st.effect == .deny {
                message += covered ? "" : " (this Deny no longer blocks the registry: deny the replacement too)"
            } else if covered {
                message += " (already granted here: remove the old name)"
            }
            var suggestion = covered ? "remove it" : "replace it with \(use)"
            if retiredArns && !covered { suggestion += " and arn:...:bedrock-agentcore:...:registry/... with arn:...:agent-registry:...:registry/..." }
            add("deprecated-action", covered ? .low : .medium, st.actionPath(i), message, suggestion)
        }
    }

    private func lintResources(_ st: Statement, isTrust: Bool, _ add: Add) {
        if case .unspecified = st.resource {
            if !st.hasPrincipal && !isTrust {
                add("missing-resource", .high, st.path, "statement has no Resource or NotResource", nil)
            }
            return
        }
        for (i, pattern) in st.resource.patterns.enumerated() where pattern.hasPrefix("arn:") {
            guard let compatible = catalogue.resourceTypes(compatibleWith: pattern), compatible.isEmpty else { continue }
            let fields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            let service = fields.count > 2 ? String(fields[2]) : ""
            let resourcePart = fields.count == 6 ? String(fields[5]) : ""
            let suggestion = suggestResourceType(resourcePart, arnService: service)
            let typeText = resourcePart.split(whereSeparator: { $0 == "/" || $0 == ":" }).first.map(String.init) ?? resourcePart
            add("unknown-resource-type", .high, st.resourcePath(i),
                "\(service) has no resource type matching \"\(typeText)\" in \(pattern)",
                suggestion.map { "did you mean \($0.resourceLiteralPrefix) (\($0.name): \($0.arnTemplate))?" })
        }
    }

    /// The resource type whose template is closest to a wrong resource part (`agent-runtime/x` → `runtime`).
    func suggestResourceType(_ resourcePart: String, arnService: String) -> ResourceTypeInfo? {
        let segment = String(resourcePart.split(whereSeparator: { $0 == "/" || $0 == ":" }).first ?? Substring(resourcePart)).lowercased()
        let tokens = Set(segment.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init))
        let candidates = catalogue.resourceTypes(arnService: arnService).map { type -> (ResourceTypeInfo, Int, Int) in
            let literal = type.resourceLiteralPrefix.lowercased()
            let typeSegment = String(literal.split(whereSeparator: { $0 == "/" || $0 == ":" }).first ?? Substring(literal))
            let shared = tokens.intersection(typeSegment.split(separator: "-").map(String.init)).count
            return (type, shared, editDistance(segment, typeSegment))
        }
        return candidates.filter { $0.1 > 0 || $0.2 <= 3 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : ($0.2 != $1.2 ? $0.2 < $1.2 : $0.0.name < $1.0.name) }
            .first?.0
    }

    private func lintConditions(_ st: Statement, _ add: Add) {
        for clause in st.conditions {
            let path = st.path + "." + clause.path
            guard let base = clause.op.base else {
                add("unknown-condition-operator", .high, st.path + ".Condition." + clause.op.raw,
                    "\"\(clause.op.raw)\" is not an IAM condition operator", nil)
                continue
            }
            switch ConditionKeys.status(of: clause.key, catalogue: catalogue) {
            case .unknown(let suggestion):
                add("unknown-condition-key", .medium, path, "condition key \"\(clause.key)\" does not exist; the condition can never match as intended",
                    suggestion.map { "did you mean \($0)?" })
            case .known, .unverifiable: break
            }
            for v in clause.values {
                var bad = false
                switch base {
                case .ipAddress, .notIpAddress: bad = CIDR(v) == nil
                case .bool: bad = !["true", "false"].contains(v.lowercased())
                case .null: bad = !["true", "false"].contains(v.lowercased())
                case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
                    bad = Double(v) == nil
                case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
                    bad = parseConditionDate(v) == nil
                default: bad = false
                }
                if bad { add("invalid-condition-value", .medium, path, "\"\(v)\" is not a valid value for \(base.rawValue)", nil) }
            }
        }
    }
}

/// Last path component without Foundation.
struct NSStringPath {
    let path: String
    var lastComponent: String { path.split(separator: "/").last.map(String.init) ?? path }
}
