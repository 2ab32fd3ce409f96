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
    /// `base`: `Evaluator.grantedActions(policies)` when already computed. `jobs` > 1: a base of many grants (a
    /// `NotAction` or `*` principal's ~22,000) is decided in two halves on two threads, with the same result.
    public init(_ policies: PolicySet, base: GrantSet? = nil, catalogue: ActionCatalogue = .shared, jobs: Int = 1) {
        let keys = base.map { (granted: Array($0.grants.keys), denied: $0.deniedActions) }
            ?? Evaluator.grantedActionKeys(policies, catalogue: catalogue)
        self.init(policies, granted: keys.granted, denied: keys.denied, catalogue: catalogue, jobs: jobs)
    }

    /// `init(_:base:catalogue:jobs:)` from the base's actions alone: `granted`, the actions `Evaluator.grantedActions`
    /// grants (any order), and `denied`, those it denies (`Evaluator.grantedActionKeys` gives both).
    init(_ policies: PolicySet, granted keys: [IAMAction], denied baseDenied: [IAMAction], catalogue: ActionCatalogue,
         jobs: Int) {
        let statements = policies.statements.map(\.statement).filter { !$0.hasPrincipal && $0.resource != .unspecified }
        let allows = statements.filter { $0.effect == .allow }
        let denies = statements.filter { $0.effect == .deny && $0.isUnconditional }

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
        /// The statements of `idx` that name `action`, in statement order, into `into` (emptied first: one array
        /// reused for every action, not one made per action).
        func matching(_ action: IAMAction, _ idx: (byAction: [IAMAction: [Int]], negative: [(Int, Set<IAMAction>)]),
                      into list: inout [Int]) {
            list.removeAll(keepingCapacity: true)
            if let named = idx.byAction[action] { list.append(contentsOf: named) }
            for (i, set) in idx.negative where !set.contains(action) { list.append(i) }
            if !idx.negative.isEmpty { list.sort() }
        }
        // (Each Allow's resources resolved once; an action then costs a lookup, not a hash of every pattern.)
        var memo: [String: [ResourceTypeInfo]?] = [:]
        let applicability = allows.map { ResourceApplicability.Resolved($0.resource, catalogue: catalogue, memo: &memo) }
        let allowIndex = index(allows)
        let denyIndex = index(denies)
        let noDenies = denies.isEmpty
        /// Each action's patterns, or its denial by Deny statements that cover them all.
        func decide(_ actions: ArraySlice<IAMAction>) -> (granted: [IAMAction: [String]], denied: [IAMAction]) {
            var out: [IAMAction: [String]] = [:], denied: [IAMAction] = []
            var sortedPatterns: [Set<String>: [String]] = [:]
            // The resource patterns granted through a list of applying Allow statements, sorted (nil when none): most
            // actions of a principal are granted by the same statements, so the set is built and sorted once per list
            // met, not once per action (a `NotAction` principal's ~22,000 actions each built, hashed and looked up a
            // set of strings).
            var byStatements: [[Int]: [String]?] = [:]
            var applying: [Int] = [], denying: [Int] = []
            for action in actions {  // (any order: each action is decided on its own)
                matching(action, allowIndex, into: &applying)
                applying.removeAll { !applicability[$0].applies(to: action, catalogue: catalogue) }
                let sorted: [String]?
                if let known = byStatements[applying] {
                    sorted = known
                } else {
                    var patterns = Set<String>()
                    for i in applying {
                        switch allows[i].resource {
                        case .resources(let r): patterns.formUnion(r)
                        case .notResources(let r): patterns.formUnion(r.map { "NOT " + $0 })
                        case .unspecified: break
                        }
                    }
                    if patterns.isEmpty {
                        sorted = nil
                    } else if let shared = sortedPatterns[patterns] {
                        // (Most actions of a statement share one pattern list: stored once, not one array per action.)
                        sorted = shared
                    } else {
                        let list = patterns.sorted()
                        sortedPatterns[patterns] = list
                        sorted = list
                    }
                    byStatements[applying] = .some(sorted)
                }
                guard let patterns = sorted else { continue }
                if !noDenies {
                    matching(action, denyIndex, into: &denying)
                    let denyPatterns = denying.map { denies[$0] }.flatMap { st -> [String] in
                        if case .resources(let r) = st.resource { return r }
                        return []
                    }
                    let covered = patterns.allSatisfy { p in
                        denyPatterns.contains { d in Glob.matchesAsterisk(d) || (!p.hasPrefix("NOT ") && Glob.matches(d, p)) }
                    }
                    if covered && !denyPatterns.isEmpty { denied.append(action); continue }
                }
                out[action] = patterns
            }
            return (out, denied)
        }
        var denied = Set(baseDenied)
        // (Only a large base is split: a `NotAction` principal's derivation was the last ~10 ms of a 2-job scan on one
        // thread while the other had finished the merge. The halves share nothing they change.)
        if jobs > 1 && keys.count >= 4_096,
           let (first, second) = try? ParallelMap.both(parallel: true, { decide(keys[..<(keys.count / 2)]) },
                                                      { decide(keys[(keys.count / 2)...]) }) {
            self.actions = first.granted.merging(second.granted) { a, _ in a }
            denied.formUnion(first.denied)
            denied.formUnion(second.denied)
        } else {
            let all = decide(keys[...])
            self.actions = all.granted
            denied.formUnion(all.denied)
        }
        self.denied = denied.sorted()
    }

    /// Granted actions, sorted.
    public var sortedActions: [IAMAction] { actions.keys.sorted() }
}
