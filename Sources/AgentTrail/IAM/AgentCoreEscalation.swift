/// Lint rules for the Amazon Bedrock AgentCore privilege-escalation paths published in 2025–2026 (issue 14, point 4).
/// Sources, as far as they could be read (Docs/IAM-catalogue.md lists what could not be verified):
/// - Sonrai Security, "AWS AgentCore: The Overlooked Privilege Escalation Path in Bedrock AI Tooling" (2025) and
///   "Sandboxed to Compromised" — `iam:PassRole` + `CreateCodeInterpreter` + `InvokeCodeInterpreter`, as recorded by
///   DataDog's pathfinding.cloud `bedrock-001` and Prowler's `privilege_escalation.py`
///   (`PassRole+AgentCoreCreateInterpreter+InvokeInterpreter`);
/// - BeyondTrust Phantom Labs, "Mapping Every Privilege Escalation Path in AWS AgentCore" (2026), as recorded by
///   pathfinding.cloud `bedrock-003`: `iam:PassRole` + `CreateAgentRuntime` (+ `CreateAgentRuntimeEndpoint`,
///   `CreateWorkloadIdentity`) + `InvokeAgentRuntimeCommand`, a root shell in the runtime's microVM;
/// - AWS doc "Understanding Credentials Management in Amazon Bedrock AgentCore": Browser, Code Interpreter and Runtime
///   serve the execution role's credentials on the MicroVM Metadata Service; "any code or actor running inside the VM
///   can access these credentials"; "ensure that the execution role associated with your resource has equal or fewer
///   privileges than the users who can invoke it";
/// - Unit 42 "Agent God Mode" (2026), as summarised by the `agentcore-iam-audit` package page: starter-toolkit
///   execution roles with `memory/*`, `runtime/*`, `code-interpreter/*`, `repository/*`; the toolkit's own template
///   history shows the same (aws/bedrock-agentcore-starter-toolkit, "fix: Scoping down policy statements (#394)",
///   2025-12-09);
/// - AWS doc "Get workload access token": JWT-based identification is "recommended for production"; AgentCore
///   Identity validates the JWT, while `GetWorkloadAccessTokenForUserId` takes the user ID from the caller.
enum AgentCoreEscalation {
    static let agentCorePrincipal = "bedrock-agentcore.amazonaws.com"

    /// One way to get code running under a passed role.
    struct Path {
        /// `agent runtime`, `code interpreter`, `browser`.
        let name: String
        /// The action that attaches the passed role.
        let attach: IAMAction
        /// Alternatives; each alternative needs all of its actions (run code in the resource).
        let run: [[IAMAction]]
        /// Resource type the run actions must reach.
        let reach: String
        /// True for `Create*` (the run grant must reach a resource the caller names itself: a wildcard in the id);
        /// false for `Update*` (the run grant must overlap the update grant: the same existing resource).
        let newResource: Bool
        /// What the path gives, for the message.
        let effect: String
    }

    static func a(_ name: String) -> IAMAction { IAMAction(prefix: "bedrock-agentcore", name: name) }
    static let runtimeRun: [[IAMAction]] = ["InvokeAgentRuntime", "InvokeAgentRuntimeForUser", "InvokeAgentRuntimeWithWebSocketStream",
                                            "InvokeAgentRuntimeWithWebSocketStreamForUser", "InvokeAgentRuntimeCommand",
                                            "InvokeAgentRuntimeCommandShell"].map { [a($0)] }

    static let paths: [Path] = [
        Path(name: "agent runtime", attach: a("CreateAgentRuntime"), run: runtimeRun, reach: "runtime", newResource: true,
             effect: "deploy a runtime (its container image chosen by the caller) with any passable role and run code or commands in it as that role"),
        Path(name: "agent runtime", attach: a("UpdateAgentRuntime"), run: runtimeRun, reach: "runtime", newResource: false,
             effect: "switch an existing runtime to any passable role (and a new image) and run code or commands in it as that role"),
        Path(name: "code interpreter", attach: a("CreateCodeInterpreter"), run: [[a("InvokeCodeInterpreter")]], reach: "code-interpreter-custom",
             newResource: true, effect: "create a code interpreter with any passable role and run code in it as that role"),
        Path(name: "browser", attach: a("CreateBrowser"), run: [[a("StartBrowserSession"), a("ConnectBrowserAutomationStream")]],
             reach: "browser-custom", newResource: true,
             effect: "create a browser with any passable role and drive a session in it, whose microVM holds that role's credentials"),
    ]

    static let passRole = IAMAction(prefix: "iam", name: "PassRole")

    /// A statement and where it is.
    struct Located {
        let document: PolicyDocument
        let statement: Statement
        var ref: StatementRef { document.ref(statement) }
        /// `Statement[1] (Sid X)`, with the document's JSON path in authorization details; prefixed with the document
        /// name when `named`.
        func label(named: Bool) -> String {
            let path = document.jsonPath.isEmpty ? statement.path : document.jsonPath + "." + statement.path
            return (named ? document.name + " " : "") + path + (statement.sid.map { " (Sid \($0))" } ?? "")
        }
    }

    /// What a PassRole grant can pass.
    enum PassTarget: Equatable {
        /// `*`, `NotResource`, or a wildcard in the role name: any role (present or future) of that shape.
        case any(String)
        /// One role that looks like an administrator (by name, or its known policies allow `*`).
        case admin(String)
    }

    // MARK: - Grants

    static func actionMatches(_ st: Statement, _ action: IAMAction) -> Bool {
        switch st.action {
        case .actions(let p): return p.contains { ActionCatalogue.action(action, matches: $0) }
        case .notActions(let p): return !p.contains { ActionCatalogue.action(action, matches: $0) }
        }
    }

    /// The Allow statements that grant `action` on some resource it can apply to, minus everything when an
    /// unconditional Deny on `*` covers it.
    static func allowing(_ action: IAMAction, in statements: [Located], catalogue: ActionCatalogue) -> [Located] {
        let identity = statements.filter { !$0.statement.hasPrincipal && $0.statement.resource != .unspecified }
        let denied = identity.contains { l in
            l.statement.effect == .deny && l.statement.isUnconditional && actionMatches(l.statement, action)
                && l.statement.resource.patterns.contains("*") && { if case .resources = l.statement.resource { return true }; return false }()
        }
        if denied { return [] }
        return identity.filter { l in
            l.statement.effect == .allow && actionMatches(l.statement, action)
                && ResourceApplicability.statementApplies(l.statement.resource, to: action, catalogue: catalogue)
        }
    }

    /// False when the statement's `iam:PassedToService` condition rules out `bedrock-agentcore.amazonaws.com`.
    static func passesToAgentCore(_ st: Statement) -> Bool {
        for c in st.conditions where c.key.lowercased() == "iam:passedtoservice" {
            guard let base = c.op.base else { continue }
            let matches = c.values.contains { v in
                switch base {
                case .stringLike, .stringNotLike: return Glob.matches(v, agentCorePrincipal, caseInsensitive: true)
                default: return v.lowercased() == agentCorePrincipal
                }
            }
            if base.isNegated ? matches : !matches { return false }
        }
        return true
    }

    /// The dangerous targets of one PassRole statement (empty when it only passes named, non-admin roles).
    static func passTargets(_ st: Statement, adminRoles: Set<String>) -> [PassTarget] {
        if case .notResources(let r) = st.resource { return [.any("NotResource " + r.joined(separator: ", "))] }
        var out: [PassTarget] = []
        for p in st.resource.patterns {
            if p == "*" { out.append(.any(p)); continue }
            let fields = p.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6 else {
                if Glob.hasWildcard(p) { out.append(.any(p)) }
                continue
            }
            let resource = fields[5]
            if Glob.hasWildcard(String(fields[2])) || Glob.hasWildcard(String(resource)) { out.append(.any(p)); continue }
            if isAdminRole(p, adminRoles: adminRoles) { out.append(.admin(p)) }
        }
        return out
    }

    /// A role ARN that looks administrative: its name contains `admin` (any case) or is `OrganizationAccountAccessRole`,
    /// or the loaded policies show it allows `*` on `*` (`adminRoles`).
    static func isAdminRole(_ arn: String, adminRoles: Set<String>) -> Bool {
        if adminRoles.contains(arn) { return true }
        guard let parsed = ARN(arn), parsed.service == "iam" else { return false }
        let name = parsed.resourceName.lowercased()
        return name.contains("admin") || name == "organizationaccountaccessrole"
    }

    /// Roles whose own policies (known from the input) allow every action on every resource without conditions.
    static func adminRoles(_ principals: [PrincipalPolicies]) -> Set<String> {
        var out = Set<String>()
        for p in principals where p.kind == .role {
            let all = p.policies.statements.contains { _, st in
                st.effect == .allow && st.isUnconditional && !st.hasPrincipal
                    && { if case .actions(let a) = st.action { return a.contains { $0 == "*" || $0 == "*:*" } }; return false }()
                    && { if case .resources(let r) = st.resource { return r.contains("*") }; return false }()
            }
            if all, let arn = p.arn { out.insert(arn) }
        }
        return out
    }

    /// True when a run pattern can match a resource of type `reach` whose id the caller chose.
    static func reachesNew(_ pattern: String, reach: String, catalogue: ActionCatalogue) -> Bool {
        if pattern == "*" || pattern.hasPrefix("NOT ") { return true }
        let fields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6 else { return Glob.hasWildcard(pattern) }
        guard Glob.hasWildcard(String(fields[5])) else { return false }
        guard let compatible = catalogue.resourceTypes(compatibleWith: pattern) else { return true }
        return compatible.contains { $0.name == reach }
    }

    /// The resource patterns of a statement (`NOT `-prefixed for `NotResource`).
    static func patterns(_ st: Statement) -> [String] {
        switch st.resource {
        case .resources(let r): return r
        case .notResources(let r): return r.map { "NOT " + $0 }
        case .unspecified: return []
        }
    }

    static func overlaps(_ a: String, _ b: String) -> Bool {
        if a == "*" || b == "*" || a.hasPrefix("NOT ") || b.hasPrefix("NOT ") { return true }
        return ActionCatalogue.globsIntersect(Array(a.utf8), Array(b.utf8))
    }

    // MARK: - Findings

    /// One escalation path found in `statements` (paths through the same kind of resource merged: creating and
    /// updating a runtime are one finding).
    struct Found {
        let name: String
        let effect: String
        let pass: [(Located, [PassTarget])]
        let attach: [(IAMAction, [Located])]
        let run: [(IAMAction, [Located])]
        var admin: Bool { pass.contains { $0.1.contains { if case .admin = $0 { return true }; return false } } }
        var key: String { name }
    }

    /// True when the statements already allow every action on every resource without conditions: there is nothing
    /// to escalate to (`action-wildcard` reports it).
    static func allowsEverything(_ statements: [Located]) -> Bool {
        statements.contains { l in
            let st = l.statement
            guard st.effect == .allow, st.isUnconditional, !st.hasPrincipal, case .actions(let a) = st.action,
                  a.contains(where: { $0 == "*" || $0 == "*:*" }), case .resources(let r) = st.resource else { return false }
            return r.contains("*")
        }
    }

    static func find(_ statements: [Located], adminRoles: Set<String>, catalogue: ActionCatalogue) -> [Found] {
        guard !allowsEverything(statements) else { return [] }
        let pass = allowing(passRole, in: statements, catalogue: catalogue)
            .filter { passesToAgentCore($0.statement) }
            .map { ($0, passTargets($0.statement, adminRoles: adminRoles)) }
            .filter { !$0.1.isEmpty }
        guard !pass.isEmpty else { return [] }
        var out: [Found] = []
        for path in paths {
            let attach = allowing(path.attach, in: statements, catalogue: catalogue)
            guard !attach.isEmpty else { continue }
            let attachPatterns = attach.flatMap { patterns($0.statement) }
            for alternative in path.run {
                var legs: [(IAMAction, [Located])] = []
                for action in alternative {
                    let granting = allowing(action, in: statements, catalogue: catalogue).filter { l in
                        patterns(l.statement).contains { p in
                            path.newResource ? reachesNew(p, reach: path.reach, catalogue: catalogue)
                                             : attachPatterns.contains { overlaps($0, p) }
                        }
                    }
                    if granting.isEmpty { legs = []; break }
                    legs.append((action, granting))
                }
                guard !legs.isEmpty else { continue }
                if let i = out.firstIndex(where: { $0.name == path.name }) {
                    let prior = out[i]
                    let run = prior.run + legs.filter { leg in !prior.run.contains { $0.0 == leg.0 } }
                    out[i] = Found(name: prior.name, effect: prior.effect + ", or " + path.effect, pass: pass,
                                   attach: prior.attach + [(path.attach, attach)], run: run)
                } else {
                    out.append(Found(name: path.name, effect: path.effect, pass: pass, attach: [(path.attach, attach)], run: legs))
                }
                break
            }
        }
        return out
    }

    static func describe(_ t: PassTarget) -> String {
        switch t {
        case .any(let p): return p == "*" ? "\"*\"" : p
        case .admin(let p): return p + " (looks like an administrator role)"
        }
    }

    /// The lint finding for one path; `document`/`file` name where it is reported.
    static func finding(_ f: Found, document: String, file: String, named: Bool = false) -> LintFinding {
        let label: (Located) -> String = { $0.label(named: named) }
        let passText = f.pass.map { l, targets in
            "iam:PassRole on " + targets.map(describe).joined(separator: ", ") + " [\(label(l))]"
        }.joined(separator: " + ")
        let attachText = f.attach.map { action, ls in "\(action) [" + ls.map(label).joined(separator: "; ") + "]" }.joined(separator: " or ")
        let runText = f.run.map { action, ls in "\(action) [" + ls.map(label).joined(separator: "; ") + "]" }.joined(separator: " + ")
        let message = "privilege escalation through an AgentCore \(f.name): \(passText) + \(attachText) + \(runText): "
            + "can \(f.effect)" + (f.admin ? ", including an administrator role" : " (any role that trusts \(agentCorePrincipal))")
        let passLabels = f.pass.map { label($0.0) }.joined(separator: ", ")
        let runLabels = f.run.map { action, ls in "\(action) from " + ls.map(label).joined(separator: ", ") }.joined(separator: " and ")
        let suggestion = "smallest change that breaks it: in \(passLabels) limit iam:PassRole to the execution role(s) this principal "
            + "deploys (not an administrator role) with \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"\(agentCorePrincipal)\"}}"
            + "; or remove \(runLabels)"
        var refs: [String] = []
        for l in f.pass.map(\.0) + f.attach.flatMap(\.1) + f.run.flatMap(\.1) where !refs.contains(l.ref.description) { refs.append(l.ref.description) }
        let first = f.pass[0].0
        return LintFinding(rule: "agentcore-passrole-escalation", severity: f.admin ? .critical : .high, file: first.document.file ?? file,
                           document: document, jsonPath: first.document.fullPath(first.statement.path), message: message,
                           suggestion: suggestion, statements: refs)
    }

    /// `agentcore-userid-token` for one statement, when it applies.
    static func userIdToken(_ st: Statement, in document: PolicyDocument, catalogue: ActionCatalogue) -> LintFinding? {
        let forUser = a("GetWorkloadAccessTokenForUserId"), forJWT = a("GetWorkloadAccessTokenForJWT")
        guard st.effect == .allow, !st.hasPrincipal, case .actions(let patterns) = st.action,
              let i = patterns.firstIndex(where: { p in
                  let t = String(p.trimmingASCIIWhitespace)
                  return t != "*" && !t.hasSuffix(":*") && ActionCatalogue.action(forUser, matches: t)
              }),
              ResourceApplicability.statementApplies(st.resource, to: forUser, catalogue: catalogue),
              !st.conditions.contains(where: { $0.key.lowercased() == "bedrock-agentcore:userid" })
        else { return nil }
        let jwt = document.statements.contains { s in
            s.effect == .allow && { if case .actions(let p) = s.action { return p.contains { ActionCatalogue.action(forJWT, matches: $0) } }; return false }()
        }
        let message = "grants \(forUser) without a bedrock-agentcore:userid condition: the caller names the user and AgentCore "
            + "Identity does not verify it, so this principal can obtain workload access tokens for any user ID (and act for them "
            + "towards the credential providers)" + (jwt ? "; GetWorkloadAccessTokenForJWT is granted here too and serves callers that have the user's JWT" : "")
        return LintFinding(rule: "agentcore-userid-token", severity: .medium, file: document.file ?? "", document: document.name,
                           jsonPath: document.fullPath(st.actionPath(i)), message: message,
                           suggestion: "use GetWorkloadAccessTokenForJWT (AgentCore Identity validates the JWT), or restrict the user IDs "
                               + "with a bedrock-agentcore:userid condition")
    }

    /// Resource types of other agents that a starter-toolkit role should not reach with a wildcard (Unit 42's list).
    static let agentResourceTypes: Set<String> = ["memory", "runtime", "runtime-endpoint", "code-interpreter", "code-interpreter-custom",
                                                  "browser-custom", "gateway"]

    /// `agentcore-starter-toolkit-role` findings for a role named `AmazonBedrockAgentCoreSDKRuntime-*`.
    static func starterToolkitRole(_ principal: PrincipalPolicies, catalogue: ActionCatalogue) -> [LintFinding] {
        guard principal.kind == .role, principal.name.hasPrefix("AmazonBedrockAgentCoreSDKRuntime-") else { return [] }
        var out: [LintFinding] = []
        for doc in principal.policies.documents {
            for st in doc.statements where st.effect == .allow && !st.hasPrincipal {
                guard case .resources(let resources) = st.resource else { continue }
                let actions = st.action.patterns.flatMap { catalogue.expand(pattern: $0) }
                    .filter { $0.prefix == "bedrock-agentcore" || $0.prefix == "ecr" }
                guard !actions.isEmpty else { continue }
                var wide: [String] = []
                for r in resources {
                    if r == "*" {
                        if actions.contains(where: { a in
                            (catalogue.action(named: a)?.resourceTypes ?? []).contains { agentResourceTypes.contains($0.name) || $0.name == "repository" }
                        }) { wide.append(r) }
                        continue
                    }
                    let fields = r.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                    // AWS-owned built-in tools (account `aws`) hold no agent's data.
                    guard fields.count == 6, Glob.hasWildcard(String(fields[5])), fields[4] != "aws" else { continue }
                    let types = catalogue.resourceTypes(compatibleWith: r) ?? []
                    let service = String(fields[2])
                    if (service == "bedrock-agentcore" && types.contains { agentResourceTypes.contains($0.name) })
                        || (service == "ecr" && types.contains { $0.name == "repository" }) {
                        wide.append(r)
                    }
                }
                guard !wide.isEmpty else { continue }
                out.append(LintFinding(
                    rule: "agentcore-starter-toolkit-role", severity: .high, file: doc.file ?? "", document: doc.name,
                    jsonPath: doc.fullPath(st.path),
                    message: "\(principal.name) is an execution role auto-created by the AgentCore starter toolkit, and this statement "
                        + "reaches every agent's resources (\(wide.joined(separator: ", "))): an agent running with it can read or "
                        + "poison other agents' memory, invoke other agents or pull their images",
                    suggestion: "scope Resource to this agent's own runtime, memory and repository ARNs (`agenttrail policy --principal "
                        + "\(principal.name)` lists them from the logs), or give the agent its own role; the toolkit's template has "
                        + "scoped these since 2025-12-09, so re-create roles made before then",
                    statements: [doc.ref(st).description]))
            }
        }
        return out
    }
}

extension PolicyLinter {
    /// The AgentCore escalation paths complete within one document.
    func agentCoreFindings(_ document: PolicyDocument) -> [LintFinding] {
        let located = document.statements.map { AgentCoreEscalation.Located(document: document, statement: $0) }
        var out = AgentCoreEscalation.find(located, adminRoles: adminRoles, catalogue: catalogue)
            .map { AgentCoreEscalation.finding($0, document: document.name, file: document.file ?? "") }
        out += document.statements.compactMap { AgentCoreEscalation.userIdToken($0, in: document, catalogue: catalogue) }
        return out
    }

    /// Principal-level AgentCore findings: escalation paths that only combine across the principal's documents
    /// (inline + managed + group policies), and starter-toolkit roles with wildcard resources.
    func agentCoreFindings(_ principal: PrincipalPolicies) -> [LintFinding] {
        var out = AgentCoreEscalation.starterToolkitRole(principal, catalogue: catalogue)
        let docs = principal.policies.documents
        guard docs.count > 1 else { return out }
        var single = Set<String>()
        for d in docs {
            let located = d.statements.map { AgentCoreEscalation.Located(document: d, statement: $0) }
            for f in AgentCoreEscalation.find(located, adminRoles: adminRoles, catalogue: catalogue) { single.insert(f.key) }
        }
        let all = docs.flatMap { d in d.statements.map { AgentCoreEscalation.Located(document: d, statement: $0) } }
        let label = "\(principal.kind.rawValue)/\(principal.name)"
        for f in AgentCoreEscalation.find(all, adminRoles: adminRoles, catalogue: catalogue) where !single.contains(f.key) {
            var finding = AgentCoreEscalation.finding(f, document: label, file: f.pass[0].0.document.file ?? "", named: true)
            finding.message = "\(label): " + finding.message
            out.append(finding)
        }
        return out
    }
}
