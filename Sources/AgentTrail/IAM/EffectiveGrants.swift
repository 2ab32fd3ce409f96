/// The actions a principal's policies really grant, for the access review: `Evaluator.grantedActions` (wildcards
/// and `NotAction` expanded, actions denied on `*` removed), narrowed by resources:
/// - an Allow statement only grants an action when its `Resource` can apply to it
///   (`ResourceApplicability.statementApplies`: an Allow with `NotAction` on one bucket grants S3 actions on
///   buckets and objects, not `ec2:RunInstances`);
/// - an action is removed when every resource pattern that allows it is covered by an unconditional Deny
///   (`Deny s3:GetObject on bucket/*` cancels `Allow s3:GetObject on bucket/*`).
/// Conditional Allows (e.g. `aws:SourceIp`) still grant: the condition can hold.
public struct EffectiveGrants: Sendable {
    /// Action → resource patterns that allow it (`NOT ` prefix for `NotResource`), sorted.
    public var actions: [IAMAction: [String]]
    /// Actions removed because Deny statements cover every resource that allows them.
    public var denied: [IAMAction]

    /// Computes the effective grants of `policies`.
    /// `base`: `Evaluator.grantedActions(policies)` when already computed.
    public init(_ policies: PolicySet, base: GrantSet? = nil, catalogue: ActionCatalogue = .shared) {
        let base = base ?? Evaluator.grantedActions(policies, catalogue: catalogue)
        let statements = policies.statements.map(\.statement).filter { !$0.hasPrincipal && $0.resource != .unspecified }
        let allows = statements.filter { $0.effect == .allow }
        let denies = statements.filter { $0.effect == .deny && $0.isUnconditional }
        var out: [IAMAction: [String]] = [:]
        var denied = Set(base.deniedActions)
        var cache = ResourceApplicability.CompatibilityCache()
        // Each statement's Action/NotAction as a set of catalogue actions (membership is then O(1)).
        func matcher(_ spec: ActionSpec) -> (IAMAction) -> Bool {
            let listed = Set(spec.patterns.flatMap { catalogue.expand(pattern: $0) })
            let literal = spec.patterns.compactMap { Glob.hasWildcard($0) ? nil : IAMAction($0) }
            let hit: (IAMAction) -> Bool = { listed.contains($0) || literal.contains($0) }
            if case .notActions = spec { return { !hit($0) } }
            return hit
        }
        let allowMatch = allows.map { matcher($0.action) }
        let denyMatch = denies.map { matcher($0.action) }
        for action in base.actions {
            var patterns = Set<String>()
            for (i, st) in allows.enumerated() where allowMatch[i](action)
                && ResourceApplicability.statementApplies(st.resource, to: action, catalogue: catalogue, cache: &cache) {
                switch st.resource {
                case .resources(let r): patterns.formUnion(r)
                case .notResources(let r): patterns.formUnion(r.map { "NOT " + $0 })
                case .unspecified: break
                }
            }
            guard !patterns.isEmpty else { continue }
            let denyPatterns = denies.indices.filter { denyMatch[$0](action) }.map { denies[$0] }.flatMap { st -> [String] in
                if case .resources(let r) = st.resource { return r }
                return []
            }
            let covered = patterns.allSatisfy { p in
                denyPatterns.contains { d in Glob.matches(d, "*") || (!p.hasPrefix("NOT ") && Glob.matches(d, p)) }
            }
            if covered && !denyPatterns.isEmpty { denied.insert(action); continue }
            out[action] = patterns.sorted()
        }
        self.actions = out
        self.denied = denied.sorted()
    }

    /// Granted actions, sorted.
    public var sortedActions: [IAMAction] { actions.keys.sorted() }
}
