/// One action a principal's policies allow.
public struct Grant: Sendable {
    public let action: IAMAction
    /// Allow statements granting it.
    public var statements: [StatementRef]
    /// Resource patterns of those statements (`Resource` values; `NotResource` values prefixed with `NOT `).
    public var resourcePatterns: [String]
    /// True when every granting statement has a condition (the grant holds only under it).
    public var onlyConditional: Bool
    /// Deny statements covering the action only for some resources or under conditions.
    public var partialDenies: [StatementRef]
}

/// Expanded allowed actions minus unconditionally denied ones.
public struct GrantSet: Sendable {
    /// Action (normalized) → grant.
    public var grants: [IAMAction: Grant]
    /// Explicit `Action` entries (no wildcard) of Allow statements that the catalogue does not know: they grant nothing.
    public var unknownActions: [IAMAction]
    /// Actions removed because a Deny statement covers them on every resource without conditions.
    public var deniedActions: [IAMAction]

    /// Granted actions, sorted.
    public var actions: [IAMAction] { grants.keys.sorted() }
    public var count: Int { grants.count }
    public func contains(_ action: IAMAction) -> Bool { grants[action] != nil }
    public subscript(action: IAMAction) -> Grant? { grants[action] }
}

extension Evaluator {
    /// The actions the identity policies allow (trust/resource-policy statements ignored), expanded against the
    /// catalogue. An action covered by a Deny on all resources (`Resource: "*"`, no conditions) is removed;
    /// a Deny limited by resources or conditions leaves it granted and listed in `partialDenies`.
    public static func grantedActions(_ policies: PolicySet, catalogue: ActionCatalogue = .shared) -> GrantSet {
        var grants = [IAMAction: Grant]()
        var unknown = Set<IAMAction>()
        func expand(_ spec: ActionSpec) -> [IAMAction] {
            switch spec {
            case .actions(let patterns):
                var out = [IAMAction]()
                for p in patterns {
                    let expanded = catalogue.expandUnordered(pattern: p)
                    if expanded.isEmpty, !Glob.hasWildcard(p), let a = IAMAction(p) { unknown.insert(a) }
                    out.append(contentsOf: expanded)
                }
                return out
            case .notActions(let patterns):
                let compiled = patterns.map(ActionPattern.init)
                return catalogue.unorderedActions.filter { a in !compiled.contains { $0.matches(a) } }
            }
        }
        let statements = policies.statements.filter { !$0.statement.hasPrincipal && $0.statement.resource != .unspecified }
        for (doc, st) in statements where st.effect == .allow {
            let ref = doc.ref(st)
            let resources: [String]
            switch st.resource {
            case .resources(let r): resources = r
            case .notResources(let r): resources = r.map { "NOT " + $0 }
            case .unspecified: resources = []
            }
            let refs = [ref]  // (one array shared by the grants this statement creates, not one per action)
            for action in expand(st.action) {
                if let i = grants.index(forKey: action) {
                    // (Changed in place: taking the grant out and storing it back copied its arrays.)
                    if !grants.values[i].statements.contains(ref) { grants.values[i].statements.append(ref) }
                    for r in resources where !grants.values[i].resourcePatterns.contains(r) {
                        grants.values[i].resourcePatterns.append(r)
                    }
                    grants.values[i].onlyConditional = grants.values[i].onlyConditional && !st.isUnconditional
                } else {
                    grants[action] = Grant(action: action, statements: refs, resourcePatterns: resources,
                                           onlyConditional: !st.isUnconditional, partialDenies: [])
                }
            }
        }
        var denied = [IAMAction]()
        for (doc, st) in statements where st.effect == .deny {
            let ref = doc.ref(st)
            let coversAll: Bool
            switch st.resource {
            case .resources(let r): coversAll = r.contains("*")
            case .notResources: coversAll = false
            case .unspecified: coversAll = false
            }
            let matcher = ActionSpecMatcher(st.action)
            // (The matching actions listed first: changing `grants` while iterating its keys copied the dictionary.)
            let matching = grants.keys.filter { matcher.matches($0) }
            for action in matching {
                if coversAll && st.isUnconditional {
                    grants[action] = nil
                    denied.append(action)
                } else {
                    grants[action]?.partialDenies.append(ref)
                }
            }
        }
        return GrantSet(grants: grants, unknownActions: unknown.sorted(), deniedActions: denied.sorted())
    }

    /// `grantedActions` of this evaluator's policies.
    public func grantedActions(catalogue: ActionCatalogue = .shared) -> GrantSet {
        Evaluator.grantedActions(policies, catalogue: catalogue)
    }

    /// CIDRs the policies trust as request sources: `aws:SourceIp` values of `IpAddress` conditions on Allow
    /// statements and of `NotIpAddress` conditions on Deny statements (identity statements only), deduplicated.
    public static func trustedSourceCIDRs(_ policies: PolicySet) -> [CIDR] {
        var out = [CIDR]()
        for (_, st) in policies.statements where !st.hasPrincipal {
            for clause in st.conditions where clause.key.lowercased() == "aws:sourceip" {
                guard let base = clause.op.base else { continue }
                let trusted = (st.effect == .allow && base == .ipAddress) || (st.effect == .deny && base == .notIpAddress)
                guard trusted else { continue }
                for v in clause.values { if let c = CIDR(v), !out.contains(c) { out.append(c) } }
            }
        }
        return out
    }
}
