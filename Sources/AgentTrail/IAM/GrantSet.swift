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
        func expand(_ spec: ActionSpec, room: (Int) -> Void, _ body: (IAMAction) -> Void) {
            forEachAction(allowedBy: spec, catalogue: catalogue, room: room, unknown: { unknown.insert($0) }, body)
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
            var extendedStatements = SharedExtension<StatementRef>(), extendedPatterns = SharedExtension<String>()
            // (Room made once: growing a dictionary of ~22,000 grants for a `NotAction` held the old and the new
            // storage at once.)
            expand(st.action, room: { n in
                grants.reserveCapacity(min(grants.count + n, max(catalogue.actionCount, grants.count)))
            }) { action in
                if let i = grants.index(forKey: action) {
                    // (Changed in place: taking the grant out and storing it back copied its arrays, and so did
                    // reading `grants.values[i].statements`, which copies the whole grant. Grants that shared a list
                    // share its extension: a statement repeated in a second document, e.g. a role's file and the
                    // account's authorization details, made one new array per granted action.)
                    func extend(_ grant: inout Grant) {
                        grant.statements = extendedStatements.extend(grant.statements) { list in
                            if !list.contains(ref) { list.append(ref) }
                        }
                        grant.resourcePatterns = extendedPatterns.extend(grant.resourcePatterns) { list in
                            for r in resources where !list.contains(r) { list.append(r) }
                        }
                        grant.onlyConditional = grant.onlyConditional && !st.isUnconditional
                    }
                    extend(&grants.values[i])
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

    /// The catalogue actions an Allow's `spec` names, given to `body` (a `NotAction` goes through the catalogue
    /// without an array of its ~22,000 actions, and another of those that remain); `room` learns first how many there
    /// can be; `unknown` gets each explicit action (no wildcard) the catalogue does not know, which grants nothing.
    static func forEachAction(allowedBy spec: ActionSpec, catalogue: ActionCatalogue, room: (Int) -> Void,
                              unknown: (IAMAction) -> Void, _ body: (IAMAction) -> Void) {
        switch spec {
        case .actions(let patterns):
            var out = [IAMAction]()
            for p in patterns {
                let expanded = catalogue.expandUnordered(pattern: p)
                if expanded.isEmpty, !Glob.hasWildcard(p), let a = IAMAction(p) { unknown(a) }
                out.append(contentsOf: expanded)
            }
            room(out.count)
            for a in out { body(a) }
        case .notActions(let patterns):
            let compiled = patterns.map(ActionPattern.init)
            room(catalogue.actionCount)
            catalogue.forEachAction(matchingNoneOf: compiled, body)
        }
    }

    /// The actions `grantedActions` grants (its `grants`' keys, in no particular order) and those it denies
    /// (`deniedActions`), without the grants themselves: what `EffectiveGrants` needs. A `NotAction` principal's
    /// ~22,000 grants, each with its statements and resource patterns, were most of its derivation, and only their
    /// actions were read.
    static func grantedActionKeys(_ policies: PolicySet, catalogue: ActionCatalogue = .shared) -> (granted: [IAMAction], denied: [IAMAction]) {
        var granted = Set<IAMAction>()
        let statements = policies.statements.filter { !$0.statement.hasPrincipal && $0.statement.resource != .unspecified }
        // (As `grantedActions`: the Allow statements' actions expanded against the catalogue, then the actions a Deny
        // covers on `*` without conditions removed.)
        for (_, st) in statements where st.effect == .allow {
            forEachAction(allowedBy: st.action, catalogue: catalogue, room: { n in
                granted.reserveCapacity(min(granted.count + n, max(catalogue.actionCount, granted.count)))
            }, unknown: { _ in }) { granted.insert($0) }
        }
        var denied = [IAMAction]()
        for (_, st) in statements where st.effect == .deny && st.isUnconditional {
            guard case .resources(let r) = st.resource, r.contains("*") else { continue }
            let matcher = ActionSpecMatcher(st.action)
            var matching: [IAMAction] = []
            // (Every granted action is a catalogue action, and a pattern with a service prefix reaches only that
            // service's actions: those are tested, not each of a `NotAction` principal's ~22,000 grants per Deny.)
            if case .actions(let patterns) = st.action {
                let compiled = patterns.map(ActionPattern.init)
                let prefixes = compiled.map(\.servicePrefix)
                if !prefixes.isEmpty, !prefixes.contains(where: { $0 == nil }) {
                    catalogue.forEachAction(ofServicesReachableBy: Set(prefixes.map { $0! })) { action in
                        if granted.contains(action) && matcher.matches(action) { matching.append(action) }
                    }
                } else {
                    matching = granted.filter { matcher.matches($0) }
                }
            } else {
                matching = granted.filter { matcher.matches($0) }
            }
            granted.subtract(matching)
            denied.append(contentsOf: matching)
        }
        return (Array(granted), denied.sorted())
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

/// One statement's changes to the grants' lists, shared: the lists of many grants are one array (the statement that
/// created them shared it), and a change that depends only on the list's contents gives them one new array again,
/// not one copy per grant. Lists are told apart by their storage, held here while the statement is applied (so it
/// cannot be freed and reused); at most `limit` are remembered, beyond that each list is changed on its own.
struct SharedExtension<Element: Equatable> {
    static var limit: Int { 64 }
    private var seen: [(old: [Element], new: [Element])] = []

    /// `list` changed by `change`, or the result of the same change to the same stored list.
    mutating func extend(_ list: [Element], _ change: (inout [Element]) -> Void) -> [Element] {
        let storage = list.withUnsafeBufferPointer { $0.baseAddress }
        for (old, new) in seen where old.count == list.count && old.withUnsafeBufferPointer({ $0.baseAddress }) == storage {
            return new
        }
        var changed = list
        change(&changed)
        if seen.count < Self.limit { seen.append((list, changed)) }
        return changed
    }
}
