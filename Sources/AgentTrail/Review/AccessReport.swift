/// What the access review found for every reviewed principal. Deterministic (sorted); no timing.
public struct AccessReport: Sendable {
    public var window: EvidenceWindow
    /// Sorted by ARN.
    public var principals: [PrincipalReview]
    /// Catalogue version the actions were expanded against.
    public var catalogue: String
    /// Services whose granted data-plane actions the trail cannot see (no data event of theirs in the logs), once
    /// per service, sorted.
    public var blindSpots: [TrailBlindSpot] = []
    /// Log files that could not be read completely (not rendered: the command reports them and sets its exit status).
    public var damaged: [DamagedInput] = []
}

/// The status of one action for one principal.
public enum ActionStatus: String, Sendable, CaseIterable {
    /// Granted and called successfully.
    case used
    /// Granted, its events are recorded, never called successfully.
    case unused
    /// Granted, its events are not recorded in these logs (data event not enabled, or permission-only).
    case unknown
    /// Called successfully although the given policies do not allow it (the policies given are incomplete).
    case usedNotGranted = "used-not-granted"
    /// Not granted, only denied attempts.
    case denied
}

/// One action of one principal: status, counts and evidence.
public struct ActionReview: Sendable, Hashable {
    /// The action in the catalogue's spelling.
    public var action: IAMAction
    public var status: ActionStatus
    /// True when the given (effective) policies grant it.
    public var granted: Bool
    public var successes: Int
    public var deniedAttempts: Int
    public var otherErrors: Int
    /// Successful calls the given policies do not allow (implicit or explicit deny for that call's context).
    public var notGrantedCalls: Int
    public var firstUsed: Instant?
    public var lastUsed: Instant?
    /// Resources touched by successful calls (capped, sorted).
    public var resources: [String]
    /// Source IPs or service names of successful calls (capped, sorted).
    public var sourceIPs: [String]
    /// For `unknown`: why (`data event not recorded (bedrock-agentcore)`, `permission-only`).
    public var reason: String?
}

/// The review of one principal.
public struct PrincipalReview: Sendable {
    /// Role or user ARN (with IAM path when the policies or logs give it).
    public var arn: String
    public var name: String
    /// Principal keys in the logs that are this principal.
    public var keys: [String]
    /// True when policies were given for it (else `unused`/`unknown`/`usedNotGranted` cannot be judged).
    public var hasPolicies: Bool
    /// True for an AgentCore execution role.
    public var isAgentRole: Bool
    /// This principal's first and last event.
    public var firstActivity: Instant?
    public var lastActivity: Instant?
    /// Accounts the window is stated for (the principal's account).
    public var accounts: [String]
    /// User agents and role session names seen (up to `ReviewUsageDetector.Accumulator.sampleCap` each, sorted).
    public var userAgents: [String]
    public var sessionNames: [String]
    /// Every action with a status, sorted by action.
    public var actions: [ActionReview]
    /// Detector findings about it, in report order.
    public var findings: [Finding]
    /// The right-sized policy from its successful calls.
    public var recommended: RecommendedPolicy
    public var diff: PolicyDiff
    /// Calls per UTC day (day start → counts), sorted by day.
    public var daily: [(day: Instant, calls: DailyCalls)]

    /// Effective granted action count.
    public var grantedCount: Int { actions.filter(\.granted).count }
    public func names(_ status: ActionStatus) -> [String] { actions.filter { $0.status == status }.map(\.action.description) }
    /// Granted and used.
    public var used: [String] { names(.used) }
    public var unused: [String] { names(.unused) }
    public var unknown: [String] { names(.unknown) }
    /// Actions with access-denied attempts.
    public var deniedAttempts: [String] { actions.filter { $0.deniedAttempts > 0 }.map(\.action.description) }
    /// Actions with successful calls the policies do not allow (also granted actions used outside their conditions).
    public var usedNotGranted: [String] {
        actions.filter { $0.status == .usedNotGranted || ($0.status == .used && $0.notGrantedCalls > 0) }.map(\.action.description)
    }
}

/// Current policies against the right-sized one.
public struct PolicyDiff: Sendable, Hashable {
    /// A granted action the recommended policy drops, with why.
    public struct Removal: Sendable, Hashable {
        public var action: IAMAction
        public var evidence: String
    }
    /// An action whose resources get narrower.
    public struct Narrowing: Sendable, Hashable {
        public var action: IAMAction
        public var from: [String]
        public var to: [String]
        /// The called actions that need it (catalogue dependent action), when it is one.
        public var neededBy: [IAMAction] = []
    }
    /// An action used successfully that the given policies do not grant.
    public struct Addition: Sendable, Hashable {
        public var action: IAMAction
        public var evidence: String
        /// The called actions that need it (catalogue dependent action), when it is one.
        public var neededBy: [IAMAction] = []
    }
    public var removed: [Removal]
    public var narrowed: [Narrowing]
    public var added: [Addition]
}
