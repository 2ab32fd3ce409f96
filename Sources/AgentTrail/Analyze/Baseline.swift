/// What one principal is known to do: the IPs it calls from, the regions and models it uses, its usual
/// invocation volume and the hours of day it is active. Baseline detectors compare the scanned window
/// against this. It is either learned from the first part of the window (`RunFacts.baselineEnd`) or
/// supplied by a persistent state store through `StoredBaselines`.
public struct PrincipalBaseline: Sendable, Hashable {
    /// Source IPs seen before (`unknown-source-ip`).
    public var ips: Set<IPAddress> {
        didSet { networks = Set(ips.map(\.baselineNetwork)) }
    }
    /// The /24 (IPv4) or /48 (IPv6) networks of `ips`: an address in one of them counts as known.
    public private(set) var networks: Set<CIDR>
    /// Regions used before (`new-region`).
    public var regions: Set<String>
    /// Model ids invoked before (`new-model`), as `ModelIdExtractor.normalized` returns them.
    public var models: Set<String>
    /// Usual invocations per hour of day (`invocation-spike`); nil when unknown or the history is shorter than a day.
    public var invocationProfile: HourOfDayProfile?
    /// Hours of day (UTC, 0–23) with at least one invocation; nil when the history is too short (< 7 days)
    /// to call the other hours "never active".
    public var activeHoursOfDay: Set<Int>?
    /// Invocations per 5-minute bucket (`InvocationSpikeDetector.bucketIndex`) read before the scanned window
    /// near its start (a state store keeps the last two days): windows that straddle two nightly runs are counted
    /// whole. Context only: these calls are not counted again in findings.
    public var recentInvocations: [Int64: Int]
    /// True when every Bedrock/AgentCore call of the history went through a VPC endpoint
    /// (`vpc-endpoint-bypass`); nil when unknown or too few calls.
    public var alwaysUsesVPCEndpoint: Bool?
    /// Services called before, as IAM prefixes (`CloudTrailRecord.serviceName(of:)`), for expected-service checks.
    public var services: Set<String> = []
    /// API calls made before, as `service:EventName` (`CallClassifier.actionLabel`).
    public var actions: Set<String> = []

    public init(ips: Set<IPAddress> = [], regions: Set<String> = [], models: Set<String> = [],
                invocationProfile: HourOfDayProfile? = nil, activeHoursOfDay: Set<Int>? = nil,
                alwaysUsesVPCEndpoint: Bool? = nil, recentInvocations: [Int64: Int] = [:]) {
        self.ips = ips
        self.networks = Set(ips.map(\.baselineNetwork))
        self.regions = regions
        self.models = models
        self.invocationProfile = invocationProfile
        self.recentInvocations = recentInvocations
        self.activeHoursOfDay = activeHoursOfDay
        self.alwaysUsesVPCEndpoint = alwaysUsesVPCEndpoint
    }

    /// True when `ip` was seen before, or lies in the same /24 (IPv4) or /48 (IPv6) as an IP seen before.
    /// Cloud egress and office NAT pools rotate within such a network, so a neighbour is not "unknown".
    public func knows(_ ip: IPAddress) -> Bool {
        ips.contains(ip) || networks.contains(ip.baselineNetwork)
    }
}

/// Baselines supplied from outside the scanned window (a persistent state store). When a detector is given
/// one and it has a baseline for a principal, anything absent from that baseline is new for the whole
/// window; principals it does not know fall back to learning from the window.
public protocol StoredBaselines: Sendable {
    /// The stored baseline of `principal` (identity key: role ARN, user ARN, ...), or nil when unknown.
    func baseline(for principal: String) -> PrincipalBaseline?
}

/// A fixed set of stored baselines keyed by principal.
public struct StaticBaselines: StoredBaselines {
    public var baselines: [String: PrincipalBaseline]

    public init(_ baselines: [String: PrincipalBaseline]) { self.baselines = baselines }

    public func baseline(for principal: String) -> PrincipalBaseline? { baselines[principal] }
}

/// How a baseline detector judges one principal.
public enum BaselineSource: Sendable, Hashable {
    /// A stored baseline: everything in the window is compared against it.
    case stored(PrincipalBaseline)
    /// Learned from the window: keys first seen before `end` are known; later keys are new.
    case learned(end: Instant)
    /// Nothing to compare against (window too short and no stored baseline, or the principal was first
    /// seen after the learning part): the detector stays silent for learned comparisons.
    case none

    /// Picks the source for `principal`: stored when available, else learned when the window has a learning
    /// part and the principal was active in it (`principalFirstSeen < baselineEnd`), else none.
    public static func resolve(principal: String, stored: (any StoredBaselines)?, principalFirstSeen: Instant?,
                               baselineEnd: Instant?) -> BaselineSource {
        if let b = stored?.baseline(for: principal) { return .stored(b) }
        guard let end = baselineEnd, let first = principalFirstSeen, first < end else { return .none }
        return .learned(end: end)
    }
}
