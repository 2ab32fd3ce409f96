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

    /// Looks up a principal's policy info by exact ARN, then by role/user name (IAM paths are not in session ARNs).
    public func policyInfo(for principal: String) -> PrincipalPolicyInfo? {
        if let p = policies[principal] { return p }
        let name = ARN(principal)?.resourceName
        guard let name else { return nil }
        return policies.values.first { ARN($0.principalArn)?.resourceName == name && ARN($0.principalArn)?.account == ARN(principal)?.account }
    }
}

/// Policy-derived facts about one principal that detectors use. Filled from the IAM layer.
public struct PrincipalPolicyInfo: Sendable {
    public var principalArn: String
    /// CIDRs from `aws:SourceIp` conditions that the principal's policies restrict calls to.
    public var trustedCIDRs: [CIDR]
    /// IAM service prefixes the policies grant anything on (`s3`, `dynamodb`, ...).
    public var grantedServices: Set<String>

    public init(principalArn: String, trustedCIDRs: [CIDR] = [], grantedServices: Set<String> = []) {
        self.principalArn = principalArn
        self.trustedCIDRs = trustedCIDRs
        self.grantedServices = grantedServices
    }
}
