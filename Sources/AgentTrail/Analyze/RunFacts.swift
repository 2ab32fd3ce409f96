/// Facts about the whole scanned window that detectors need when making findings: the time span,
/// the baseline cut-off, and the AgentCore execution roles discovered in the logs.
public struct RunFacts: Sendable {
    /// Earliest and latest parseable eventTime among analysed records.
    public var firstEvent: Instant?
    public var lastEvent: Instant?
    /// Role ARNs assumed by `bedrock-agentcore.amazonaws.com` (discovered) or matching configured patterns.
    public var agentRoles: Set<String>
    /// Everything before this instant is baseline (learning) for baseline detectors; nil when the window is
    /// too short to learn from (then baseline detectors only use configured or stored baselines).
    public var baselineEnd: Instant?
    public var context: AnalysisContext
    /// Principals that made at least one Bedrock or AgentCore call in the window.
    public var bedrockPrincipals: Set<String>
    /// Baselines from a state store; when set, baseline detectors compare against them instead of learning.
    public var storedBaselines: (any StoredBaselines)?

    /// Builds the facts; when `baselineEnd` is nil it is computed from the window and `context.config.baseline`.
    public init(firstEvent: Instant?, lastEvent: Instant?, agentRoles: Set<String>, baselineEnd: Instant?, context: AnalysisContext,
                bedrockPrincipals: Set<String> = [], storedBaselines: (any StoredBaselines)? = nil) {
        self.firstEvent = firstEvent
        self.lastEvent = lastEvent
        self.agentRoles = agentRoles
        self.baselineEnd = baselineEnd ?? (storedBaselines == nil
            ? RunFacts.baselineEnd(first: firstEvent, last: lastEvent, settings: context.config.baseline) : nil)
        self.context = context
        self.bedrockPrincipals = bedrockPrincipals
        self.storedBaselines = storedBaselines
    }

    /// A principal of interest: an AgentCore execution role, a principal with policies or config rules, or one
    /// that called Bedrock/AgentCore. Principal-scoped detectors only report these.
    public func isInScope(_ principal: String?) -> Bool {
        guard let principal else { return false }
        if bedrockPrincipals.contains(principal) || isAgentRole(principal) { return true }
        if context.policyInfo(for: principal) != nil { return true }
        return !context.config.rules(for: principal).isEmpty
    }

    /// True when `role` is an AgentCore execution role (discovered or configured).
    public func isAgentRole(_ role: String) -> Bool {
        agentRoles.contains(role) || context.config.agentRolePatterns.contains { PrincipalPattern.matches($0, role) }
    }

    /// Computes the baseline cut-off: the first `fraction` of the span, at least `minimumHours`; nil when the
    /// window is shorter than twice the minimum (nothing would be left to alert on sensibly).
    public static func baselineEnd(first: Instant?, last: Instant?, settings: BaselineSettings) -> Instant? {
        guard let first, let last, last > first else { return nil }
        let span = last.millisecondsSince1970 - first.millisecondsSince1970
        let minMs = Int64(settings.minimumHours) * 3_600_000
        let learn = max(Int64(Double(span) * settings.fraction), minMs)
        guard learn < span else { return nil }
        return Instant(millisecondsSince1970: first.millisecondsSince1970 + learn)
    }
}
