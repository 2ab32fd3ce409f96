/// Everything a user can configure, with the defaults of the detection reference.
/// Loaded from YAML by `AgentTrailConfig.load(path:)` (see `AgentTrailConfig+YAML.swift`).
public struct AgentTrailConfig: Sendable {
    /// CIDRs trusted for every principal (`unknown-source-ip`).
    public var trustedCIDRs: [CIDR] = []
    /// Per-principal rules, matched by ARN wildcard pattern.
    public var principals: [PrincipalRule] = []
    /// Role ARN patterns that are AgentCore execution roles, besides those discovered from `AssumeRole`.
    public var agentRolePatterns: [String] = []
    /// Services (eventSource prefixes) an agent role is expected to call (`agent-role-outside-runtime`).
    public var expectedAgentServices: [String] = ["bedrock", "bedrock-agentcore", "logs", "xray", "monitoring", "ecr"]
    public var baseline = BaselineSettings()
    /// Per-detector settings keyed by detector id.
    public var detectors: [String: DetectorSettings] = [:]
    public var suppressions: [Suppression] = []
    /// Forces whether a service's data events are recorded by the trail (IAM prefix → recorded), overriding
    /// what is inferred from the logs.
    public var dataEvents: [String: Bool] = [:]
    /// The access review warns when the evidence window is shorter than this.
    public var minimumEvidenceDays: Int = 30
    /// Policy files per principal ARN pattern (association for plain policy files).
    public var policyFiles: [String: [String]] = [:]
    /// Hours (UTC, 0–23) considered working hours for off-hours checks; empty means "learned only".
    public var workingHoursUTC: [Int] = []
    /// Sigma rule files or folders to run besides the default pack (`rules:`; relative to the config's folder).
    public var rulePaths: [String] = []
    /// Whether the shipped rule pack runs (`defaultRules:`; `--no-default-rules` turns it off too).
    public var defaultRules = true

    public init() {}

    /// Rules whose pattern matches `principal`.
    public func rules(for principal: String) -> [PrincipalRule] {
        principals.filter { PrincipalPattern.matches($0.pattern, principal) }
    }

    /// Whether `detector` is enabled (default: yes).
    public func isEnabled(_ detector: String) -> Bool { detectors[detector]?.enabled ?? true }
    /// False when `detectors.<id>.enabled` is false.
    public func isEnabled(_ detector: DetectorID) -> Bool { isEnabled(detector.rawValue) }
}

/// Settings that apply to principals whose ARN matches `pattern`.
public struct PrincipalRule: Sendable, Hashable {
    public var pattern: String
    public var trustedCIDRs: [CIDR] = []
    /// VPC endpoint ids the principal is expected to use for Bedrock/AgentCore (`vpc-endpoint-bypass`).
    public var vpcEndpoints: [String] = []
    /// Extra services (eventSource prefixes) this principal may call.
    public var expectedServices: [String] = []

    public init(pattern: String, trustedCIDRs: [CIDR] = [], vpcEndpoints: [String] = [], expectedServices: [String] = []) {
        self.pattern = pattern
        self.trustedCIDRs = trustedCIDRs
        self.vpcEndpoints = vpcEndpoints
        self.expectedServices = expectedServices
    }
}

/// How baseline detectors learn without a state store.
public struct BaselineSettings: Sendable, Hashable {
    /// Fraction of the scanned time span used for learning (default 0.3).
    public var fraction: Double = 0.3
    /// Minimum learning period in hours (default 24).
    public var minimumHours: Int = 24
    /// With a state store: days of history that only build baselines (default 7).
    public var learningDays: Int = 7

    public init() {}
}

/// Settings of one detector.
public struct DetectorSettings: Sendable, Hashable {
    public var enabled: Bool = true
    /// Replaces the detector's severity for every finding it emits.
    public var severity: Severity?
    /// Numeric thresholds by name (`distinctActions`, `windowMinutes`, ...).
    public var thresholds: [String: Double] = [:]

    public init(enabled: Bool = true, severity: Severity? = nil, thresholds: [String: Double] = [:]) {
        self.enabled = enabled
        self.severity = severity
        self.thresholds = thresholds
    }

    /// A threshold, or `defaultValue` when not configured.
    public func number(_ key: String, default defaultValue: Double) -> Double { thresholds[key] ?? defaultValue }
}

/// Silences findings of a detector for matching principals (and optionally IP, action, region).
public struct Suppression: Sendable, Hashable {
    public var detector: String
    /// Principal ARN wildcard pattern (`*` for all).
    public var principal: String
    public var ip: CIDR?
    /// Matched against the finding's `action` subject (wildcards allowed).
    public var action: String?
    public var region: String?
    public var reason: String
    public var expires: Instant?
    /// Line in the config file, for messages.
    public var line: Int?

    public init(detector: String, principal: String = "*", ip: CIDR? = nil, action: String? = nil, region: String? = nil,
                reason: String, expires: Instant? = nil, line: Int? = nil) {
        self.detector = detector
        self.principal = principal
        self.ip = ip
        self.action = action
        self.region = region
        self.reason = reason
        self.expires = expires
        self.line = line
    }

    /// True when the suppression has an expiry before `now`.
    public func isExpired(at now: Instant) -> Bool { expires.map { $0 < now } ?? false }

    /// True when this (unexpired) suppression covers `finding`.
    public func matches(_ finding: Finding) -> Bool {
        guard detector == "*" || detector == finding.detector else { return false }
        guard PrincipalPattern.matches(principal, finding.principal ?? "") else { return false }
        if let ip {
            guard let text = finding.subject["ip"], let addr = IPAddress(text), ip.contains(addr) else { return false }
        }
        if let action {
            guard let a = finding.subject["action"], Glob.matches(action, a, caseInsensitive: true) else { return false }
        }
        if let region {
            guard finding.subject["region"] == region else { return false }
        }
        return true
    }
}
