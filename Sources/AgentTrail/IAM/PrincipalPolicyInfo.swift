/// Policy-derived facts about one principal that detectors use. Filled from the IAM layer.
public struct PrincipalPolicyInfo: Sendable {
    public var principalArn: String
    /// CIDRs from `aws:SourceIp` conditions that the principal's policies restrict calls to.
    public var trustedCIDRs: [CIDR]
    /// IAM service prefixes the policies grant anything on (`s3`, `dynamodb`, ...).
    public var grantedServices: Set<String>
    /// The loaded policies (nil in tests that only set CIDRs).
    public var policies: PrincipalPolicies?
    /// Expanded grants of `policies`.
    public var grants: GrantSet?
    /// Grants narrowed by resources and resource-scoped denies (what the access review calls "granted").
    public var effective: EffectiveGrants?

    public init(principalArn: String, trustedCIDRs: [CIDR] = [], grantedServices: Set<String> = [],
                policies: PrincipalPolicies? = nil, grants: GrantSet? = nil, effective: EffectiveGrants? = nil) {
        self.principalArn = principalArn
        self.trustedCIDRs = trustedCIDRs
        self.grantedServices = grantedServices
        self.policies = policies
        self.grants = grants
        self.effective = effective
    }

    /// The granted actions: effective grants when computed, else the expanded grant set.
    public var grantedActions: [IAMAction] { effective?.sortedActions ?? grants?.actions ?? [] }
}
