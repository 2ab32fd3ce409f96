/// Baseline material collected from one run's records, per principal, in a mergeable form (sets become
/// terms with first/last seen and counts; invocations become an hourly histogram and 5-minute buckets). A state store merges it
/// into its stored baselines; `merge` is associative and order-independent.
public struct CollectedBaselines: Sendable, Hashable {
    /// What a baseline term is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A source IP address.
        case ip
        /// The /24 (IPv4) or /48 (IPv6) network of a source IP.
        case network
        /// A region chosen by the caller (`CallClassifier.isRegionChoice`).
        case region
        /// A normalized Bedrock model id (`NewModelDetector.modelId(of:)`).
        case model
        /// A user-agent family (`UserAgentFamily.of`).
        case userAgent = "user-agent"
        /// An API call as `service:EventName`.
        case action
    }

    /// A principal's term.
    public struct TermKey: Hashable, Sendable {
        public var principal: String
        public var kind: Kind
        public var term: String
        public init(principal: String, kind: Kind, term: String) {
            self.principal = principal
            self.kind = kind
            self.term = term
        }
    }

    /// When and how often something was seen.
    public struct Seen: Hashable, Sendable {
        public var first: Instant?
        public var last: Instant?
        public var count: Int = 0

        public init(first: Instant? = nil, last: Instant? = nil, count: Int = 0) {
            self.first = first
            self.last = last
            self.count = count
        }

        /// Counts one occurrence at `t`.
        public mutating func note(_ t: Instant?) {
            count += 1
            guard let t else { return }
            if first == nil || t < first! { first = t }
            if last == nil || t > last! { last = t }
        }

        /// Folds another `Seen` in (min first, max last, sum count).
        public mutating func merge(_ o: Seen) {
            count += o.count
            if let f = o.first, first == nil || f < first! { first = f }
            if let l = o.last, last == nil || l > last! { last = l }
        }
    }

    /// One principal's activity facts.
    public struct PrincipalFacts: Hashable, Sendable {
        /// Every analysed record of the principal.
        public var activity = Seen()
        /// Direct Bedrock/AgentCore calls through a VPC endpoint and without one (`vpc-endpoint-bypass`).
        public var vpcEndpointCalls = 0
        public var directCalls = 0
        public init() {}

        public mutating func merge(_ o: PrincipalFacts) {
            activity.merge(o.activity)
            vpcEndpointCalls += o.vpcEndpointCalls
            directCalls += o.directCalls
        }
    }

    /// A principal's invocation count in one UTC hour.
    public struct HourKey: Hashable, Sendable {
        public var principal: String
        /// Hours since 1970-01-01T00:00Z.
        public var hour: Int64
        public init(principal: String, hour: Int64) {
            self.principal = principal
            self.hour = hour
        }
    }

    /// A principal's invocation count in one 5-minute bucket (`InvocationSpikeDetector.bucketIndex`).
    public struct BucketKey: Hashable, Sendable {
        public var principal: String
        /// 5-minute buckets since 1970-01-01T00:00Z.
        public var bucket: Int64
        public init(principal: String, bucket: Int64) {
            self.principal = principal
            self.bucket = bucket
        }
    }

    public var principals: [String: PrincipalFacts] = [:]
    public var terms: [TermKey: Seen] = [:]
    /// Invocations (`CallClassifier.isInvocation`) per principal and hour.
    public var hourlyInvocations: [HourKey: Int] = [:]
    /// The same invocations per principal and 5-minute bucket (a store keeps the recent ones, so that windows
    /// straddling two runs are judged whole).
    public var invocationBuckets: [BucketKey: Int] = [:]
    /// Analysed (decoded, in analysis scope) records per file path.
    public var recordsByFile: [String: Int] = [:]
    /// AgentCore execution roles and Bedrock/AgentCore callers of the run (from `RunFacts`).
    public var agentRoles: Set<String> = []
    public var bedrockPrincipals: Set<String> = []

    public init() {}

    /// Folds `o` into this value.
    public mutating func merge(_ o: CollectedBaselines) {
        for (k, v) in o.principals { principals[k, default: PrincipalFacts()].merge(v) }
        for (k, v) in o.terms { terms[k, default: Seen()].merge(v) }
        for (k, v) in o.hourlyInvocations { hourlyInvocations[k, default: 0] += v }
        for (k, v) in o.invocationBuckets { invocationBuckets[k, default: 0] += v }
        for (k, v) in o.recordsByFile { recordsByFile[k, default: 0] += v }
        agentRoles.formUnion(o.agentRoles)
        bedrockPrincipals.formUnion(o.bedrockPrincipals)
    }

    /// Adds a `network` term for every `ip` term (its /24 or /48), aggregating their stats.
    public mutating func deriveNetworks() {
        var nets: [TermKey: Seen] = [:]
        for (k, v) in terms where k.kind == .ip {
            guard let ip = IPAddress(k.term) else { continue }
            nets[TermKey(principal: k.principal, kind: .network, term: ip.baselineNetwork.description), default: Seen()].merge(v)
        }
        for (k, v) in nets { terms[k, default: Seen()].merge(v) }
    }
}
