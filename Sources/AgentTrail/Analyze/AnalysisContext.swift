/// What detectors know before the pass starts: the config and the principals' policies.
public struct AnalysisContext: Sendable {
    public var config: AgentTrailConfig
    /// Policies per principal ARN (role or user ARN, with IAM path), from `--policies`.
    public var policies: [String: PrincipalPolicyInfo]

    public init(config: AgentTrailConfig = AgentTrailConfig(), policies: [String: PrincipalPolicyInfo] = [:]) {
        self.config = config
        self.policies = policies
    }

    /// Settings of one detector (defaults when not configured).
    public func settings(for detector: String) -> DetectorSettings {
        config.detectors[detector] ?? DetectorSettings()
    }

    /// The threshold `name` of the detector `descriptor` describes: the config's value, else the descriptor's
    /// default. Reading a threshold the descriptor does not declare is a programming error.
    public func threshold(_ name: String, of descriptor: DetectorDescriptor) -> Double {
        guard let spec = descriptor.threshold(name) else {
            preconditionFailure("detector \(descriptor.id) reads the undeclared threshold '\(name)'")
        }
        return settings(for: descriptor.id).number(name, default: spec.defaultValue)
    }

    /// The settings of `detector` (`detectors.<id>` in the config).
    public func settings(for detector: DetectorID) -> DetectorSettings { settings(for: detector.rawValue) }

    /// Looks up a principal's policy info by exact key, then by role/user name and account (session ARNs and
    /// `assumed-role` derived ARNs carry no IAM path; plain policy files may name only the role).
    public func policyInfo(for principal: String) -> PrincipalPolicyInfo? {
        if let p = policies[principal] { return p }
        for key in policies.keys.sorted() {
            if let info = policies[key], let pp = info.policies, pp.matches(arn: principal) { return info }
        }
        return nil
    }
}

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
