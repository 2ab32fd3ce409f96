import Synchronization

/// Policy-derived facts about one principal that detectors use. Filled from the IAM layer.
///
/// The expanded grants (`grants`, `effective`, `grantedServices`) of a principal loaded from `--policies` are
/// derived on first use, not when the policies load: nothing on a scan's per-record path needs them, so they are
/// made after the pass (`AnalysisContext.deriveGrants(jobs:)`), when the workers' buffers and memos are gone,
/// instead of being held in memory through it (a principal with `*` or `NotAction` expands to ~22,000 actions).
public struct PrincipalPolicyInfo: Sendable {
    public var principalArn: String
    /// CIDRs from `aws:SourceIp` conditions that the principal's policies restrict calls to.
    public var trustedCIDRs: [CIDR]
    /// The loaded policies (nil in tests that only set CIDRs).
    public var policies: PrincipalPolicies?
    private let derived: DerivedGrants

    /// IAM service prefixes the policies grant anything on (`s3`, `dynamodb`, ...).
    public var grantedServices: Set<String> { derived.value.services }
    /// Expanded grants of `policies`. For a principal whose grants are derived, made again on each use: only the
    /// effective grants are kept (every finding and review reads those; the expanded set of a `NotAction` statement
    /// is ~22,000 entries, and all principals' sets were held at once).
    public var grants: GrantSet? { derived.grants }
    /// Grants narrowed by resources and resource-scoped denies (what the access review calls "granted").
    public var effective: EffectiveGrants? { derived.value.effective }

    /// With the grants given (or none).
    public init(principalArn: String, trustedCIDRs: [CIDR] = [], grantedServices: Set<String> = [],
                policies: PrincipalPolicies? = nil, grants: GrantSet? = nil, effective: EffectiveGrants? = nil) {
        self.principalArn = principalArn
        self.trustedCIDRs = trustedCIDRs
        self.policies = policies
        self.derived = DerivedGrants(given: .init(grants: grants, effective: effective, services: grantedServices))
    }

    /// With the grants derived from `policies` on first use.
    public init(principalArn: String, derivingFrom policies: PrincipalPolicies) {
        self.principalArn = principalArn
        self.trustedCIDRs = Evaluator.trustedSourceCIDRs(policies.policies)
        self.policies = policies
        self.derived = DerivedGrants(from: policies)
    }

    /// The granted actions: effective grants when computed, else the expanded grant set.
    public var grantedActions: [IAMAction] { effective?.sortedActions ?? grants?.actions ?? [] }

    /// Makes the derived grants now (idempotent; shared by every copy of this value). `jobs` > 1: a principal
    /// whose grants expand to many actions has them decided on two threads (`EffectiveGrants`).
    public func deriveGrants(jobs: Int = 1) { _ = derived.value(jobs: jobs) }

    /// A rough measure of the work `deriveGrants` does, for ordering principals (0 once made or when given).
    var derivationCost: Int { derived.cost }
}

/// The grants of one principal, given or made once from its policies (thread-safe: copies of a
/// `PrincipalPolicyInfo` share it, and findings may be made on several threads).
final class DerivedGrants: Sendable {
    struct Values: Sendable {
        var grants: GrantSet?
        var effective: EffectiveGrants?
        var services: Set<String>
    }

    private let source: PrincipalPolicies?
    private let made: Mutex<Values?>

    init(given: Values) {
        source = nil
        made = Mutex(given)
    }

    init(from policies: PrincipalPolicies) {
        source = policies
        made = Mutex(nil)
    }

    /// How many grants deriving may make, roughly: each `NotAction` statement or `*` pattern counts as the whole
    /// catalogue, a `service:*` pattern as a large service, any other pattern as one action (an ordering hint for
    /// `AnalysisContext.deriveGrants`, not a bound).
    var cost: Int {
        guard let source, made.withLock({ $0 == nil }) else { return 0 }
        var total = 0
        for document in source.policies.documents {
            for statement in document.statements {
                switch statement.action {
                case .notActions: total += 25_000
                case .actions(let patterns):
                    for p in patterns {
                        if p == "*" { total += 25_000 } else if p.hasSuffix(":*") { total += 500 } else { total += 1 }
                    }
                }
            }
        }
        return total
    }

    /// The expanded grant set: as given, or made again from the policies (not kept).
    var grants: GrantSet? {
        guard let source else { return value.grants }
        return Evaluator.grantedActions(source.policies)
    }

    var value: Values { value(jobs: 1) }

    func value(jobs: Int) -> Values {
        made.withLock { kept in
            if let kept { return kept }
            // (Repeated statements grant nothing more; the effective grants do not say which statements granted.)
            let policies = source!.policies.withoutRepeatedStatements
            // (Only the granted actions: the grants' statements and patterns are not kept, and `EffectiveGrants` does
            // not read them.)
            let keys = Evaluator.grantedActionKeys(policies)
            let effective = EffectiveGrants(policies, granted: keys.granted, denied: keys.denied, catalogue: .shared, jobs: jobs)
            let values = Values(grants: nil, effective: effective,
                                services: Set(effective.actions.keys.map { $0.prefix.lowercased() }))
            kept = values
            return values
        }
    }
}
