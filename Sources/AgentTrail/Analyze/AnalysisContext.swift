/// What detectors know before the pass starts: the config and the principals' policies.
public struct AnalysisContext: Sendable {
    public var config: AgentTrailConfig
    /// Policies per principal ARN (role or user ARN, with IAM path), from `--policies`.
    public var policies: [String: PrincipalPolicyInfo]

    public init(config: AgentTrailConfig = AgentTrailConfig(), policies: [String: PrincipalPolicyInfo] = [:]) {
        self.config = config
        self.policies = policies
    }

    /// Derives every principal's grants now, on up to `jobs` threads (`PrincipalPolicyInfo`): after a scan's pass,
    /// before its findings, so that they are made in parallel and not held in memory during the pass.
    /// The principals are taken in order of `derivationCost`, heaviest first: a principal with `NotAction` or `*`
    /// expands to every catalogue action (~22,000 grants) and costs more than all the others together; in dictionary
    /// order two of them could land on one thread while the other idled (profiled: 368 M against 95 M instructions).
    public func deriveGrants(jobs: Int) {
        _ = ParallelMap.map(Array(policies.values), jobs: jobs, cost: \.derivationCost) { $0.deriveGrants() }
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
