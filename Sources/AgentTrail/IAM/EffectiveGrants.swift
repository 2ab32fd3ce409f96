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
        // Each statement's Action/NotAction as a set of catalogue actions (membership is then O(1)); statements
        // that list actions are also indexed by action, so each granted action visits only the statements naming it
        // (and the NotAction ones), in statement order.
        func listed(_ spec: ActionSpec) -> Set<IAMAction> {
            Set(spec.patterns.flatMap { catalogue.expandUnordered(pattern: $0) })
                .union(spec.patterns.compactMap { Glob.hasWildcard($0) ? nil : IAMAction($0) })
        }
        func index(_ statements: [Statement]) -> (byAction: [IAMAction: [Int]], negative: [(Int, Set<IAMAction>)]) {
            var byAction: [IAMAction: [Int]] = [:], negative: [(Int, Set<IAMAction>)] = []
            for (i, st) in statements.enumerated() {
                let set = listed(st.action)
                if case .notActions = st.action { negative.append((i, set)); continue }
                for a in set { byAction[a, default: []].append(i) }
            }
            return (byAction, negative)
        }
        func matching(_ action: IAMAction, _ idx: (byAction: [IAMAction: [Int]], negative: [(Int, Set<IAMAction>)])) -> [Int] {
            var out = idx.byAction[action] ?? []
            for (i, set) in idx.negative where !set.contains(action) { out.append(i) }
            if !idx.negative.isEmpty { out.sort() }
            return out
        }
        var sortedPatterns: [Set<String>: [String]] = [:]
        // (Each Allow's resources resolved once; an action then costs a lookup, not a hash of every pattern.)
        var memo: [String: [ResourceTypeInfo]?] = [:]
        let applicability = allows.map { ResourceApplicability.Resolved($0.resource, catalogue: catalogue, memo: &memo) }
        let allowIndex = index(allows)
        let denyIndex = index(denies)
        for action in base.grants.keys {  // (any order: each action is decided on its own)
            var patterns = Set<String>()
            for i in matching(action, allowIndex)
            where applicability[i].applies(to: action, catalogue: catalogue) {
                switch allows[i].resource {
                case .resources(let r): patterns.formUnion(r)
                case .notResources(let r): patterns.formUnion(r.map { "NOT " + $0 })
                case .unspecified: break
                }
            }
            guard !patterns.isEmpty else { continue }
            let denyPatterns = matching(action, denyIndex).map { denies[$0] }.flatMap { st -> [String] in
                if case .resources(let r) = st.resource { return r }
                return []
            }
            let covered = patterns.allSatisfy { p in
                denyPatterns.contains { d in Glob.matchesAsterisk(d) || (!p.hasPrefix("NOT ") && Glob.matches(d, p)) }
            }
            if covered && !denyPatterns.isEmpty { denied.insert(action); continue }
            // (Most actions of a statement share one pattern list: stored once, not one array per action.)
            if let shared = sortedPatterns[patterns] {
                out[action] = shared
            } else {
                let sorted = patterns.sorted()
                sortedPatterns[patterns] = sorted
                out[action] = sorted
            }
        }
        self.actions = out
        self.denied = denied.sorted()
    }

    /// Granted actions, sorted.
    public var sortedActions: [IAMAction] { actions.keys.sorted() }
}
