import Synchronization

/// How the given policies judge one principal's successful calls of one action.
public struct GrantCheck: Sendable, Hashable, Codable {
    /// Calls the policies allow.
    public var allowed = 0
    /// Calls whose outcome depends on something the record does not say (a condition key, the resource).
    public var conditional = 0
    /// Calls no statement allows.
    public var implicitDeny = 0
    /// Calls a Deny statement covers.
    public var explicitDeny = 0

    public init() {}

    /// Successful calls the policies do not allow (implicit or explicit deny).
    public var notGranted: Int { implicitDeny + explicitDeny }

    mutating func merge(_ o: GrantCheck) {
        allowed += o.allowed
        conditional += o.conditional
        implicitDeny += o.implicitDeny
        explicitDeny += o.explicitDeny
    }
}

/// First and last event and record count of one account and region.
public struct RegionActivity: Sendable, Hashable, Codable {
    public var first: Instant?
    public var last: Instant?
    public var records = 0

    mutating func add(_ t: Instant?) {
        records += 1
        guard let t else { return }
        if first == nil || t < first! { first = t }
        if last == nil || t > last! { last = t }
    }

    mutating func merge(_ o: RegionActivity) {
        records += o.records
        if let f = o.first, first == nil || f < first! { first = f }
        if let l = o.last, last == nil || l > last! { last = l }
    }
}

/// Collects the access review's usage model in the scan's parallel pass: `UsageAccumulator` (per action use,
/// denials, daily calls), the resource scope of every successful call (for right-sized policies), how the given
/// policies judge each successful call, and activity per account and region. Emits no findings; the merged state
/// is handed to `sink` when findings are made.
public struct ReviewUsageDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "access-review-usage", defaultSeverity: .info,
        summary: "collects the successful calls the access review compares with the grants", traits: [.internal])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    /// Receives the merged accumulator.
    public let sink: Sink

    public init(sink: Sink = Sink()) { self.sink = sink }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Accumulator(context: context, sink: sink) }

    /// Holds the merged accumulator after the pass.
    public final class Sink: Sendable {
        let box = Mutex<Accumulator?>(nil)
        public init() {}
        /// The merged state, once the run has made findings.
        public var merged: Accumulator? { box.withLock { $0 } }
    }

    /// One worker's (and after merging, the run's) review state.
    public final class Accumulator: DetectorAccumulator, @unchecked Sendable {
        public let usage = UsageAccumulator()
        /// principal key → action → resources of successful calls.
        public private(set) var scopes: [String: [IAMAction: ResourceScope]] = [:]
        /// principal key → action → how the given policies judge the successful calls (principals with policies).
        public private(set) var grantChecks: [String: [IAMAction: GrantCheck]] = [:]
        /// `account|region` → activity (account from `recipientAccountId`).
        public private(set) var regions: [String: RegionActivity] = [:]
        /// principal key → user agents / session names seen (the `sampleCap` smallest, so merging is deterministic).
        public private(set) var userAgents: [String: Set<String>] = [:]
        public private(set) var sessionNames: [String: Set<String>] = [:]
        /// How many user agents and session names are kept per principal.
        public static let sampleCap = 20
        let context: AnalysisContext
        let sink: Sink
        /// principal key → its policies' evaluator and, per action, the statements covering it (nil: no policies).
        private var judges: [String: Judge?] = [:]
        private var typeCache = ResourceApplicability.TypeCache()
        private var dependentCache: [IAMAction: [IAMAction]] = [:]

        init(context: AnalysisContext, sink: Sink) {
            self.context = context
            self.sink = sink
        }

        public func observe(_ event: ObservedRecord) {
            usage.observe(event)
            let r = event.record
            regions[(r.recipientAccountId ?? "-") + "|" + (r.awsRegion ?? "-"), default: RegionActivity()].add(r.eventTime)
            let key = event.principalKey
            if let ua = r.userAgent { Accumulator.addSample(ua, to: &userAgents[key, default: []]) }
            if let sn = r.principal.sessionName { Accumulator.addSample(sn, to: &sessionNames[key, default: []]) }
            guard r.succeeded, case .actions(let actions) = usage.actions(event) else { return }
            let all = ResourceExtractor.resources(of: r)
            let judge = judge(for: key)
            // (Only conditions read the request's context: for policies with none, it is not made per record.)
            let context = judge.map { $0.conditional ? RequestContext(record: r) : RequestContext() }
            for action in actions {
                let applicable = ResourceApplicability.applicable(all, to: action, catalogue: .shared, cache: &typeCache)
                scopes[key, default: [:]][action, default: ResourceScope()]
                    .add(resources: applicable, region: r.awsRegion, prefix: action.prefix)
                let needed = dependents(of: action)
                if !needed.isEmpty {
                    let named = all + ResourceExtractor.roleArns(inRequestOf: r)
                    for d in needed {
                        let res = ResourceApplicability.applicable(named, to: d, catalogue: .shared, cache: &typeCache)
                        scopes[key, default: [:]][action, default: ResourceScope()]
                            .addDependent(d, resources: res, region: r.awsRegion, requestLogged: !(r.requestParameters?.isNull ?? true))
                    }
                }
                if let judge, let context {
                    let d = ResourceApplicability.decide(judge.evaluator, action: action, resources: applicable, context: context,
                                                         covering: judge.covering(action))
                    var c = grantChecks[key, default: [:]][action] ?? GrantCheck()
                    switch d {
                    case .allow: c.allowed += 1
                    case .conditional: c.conditional += 1
                    case .implicitDeny: c.implicitDeny += 1
                    case .explicitDeny: c.explicitDeny += 1
                    }
                    grantChecks[key, default: [:]][action] = c
                }
            }
        }

        /// The permission-only actions the catalogue lists as dependent actions of `action` (memoised): they are never
        /// logged themselves, so the calls of `action` are the only evidence of their resources.
        private func dependents(of action: IAMAction) -> [IAMAction] {
            if let d = dependentCache[action] { return d }
            let catalogue = ActionCatalogue.shared
            let d = (catalogue.action(named: action)?.dependentActions ?? []).compactMap { dep -> IAMAction? in
                guard let info = catalogue.action(named: dep), info.permissionOnly else { return nil }
                return info.action
            }
            dependentCache[action] = d
            return d
        }

        /// Keeps the `sampleCap` smallest values.
        static func addSample(_ v: String, to set: inout Set<String>) {
            if set.contains(v) { return }
            if set.count < sampleCap { set.insert(v); return }
            guard let max = set.max(), v < max else { return }
            set.remove(max)
            set.insert(v)
        }

        private func judge(for key: String) -> Judge? {
            if let j = judges[key] { return j }
            let j = context.policyInfo(for: key)?.policies.map { Judge(Evaluator(policies: $0.policies)) }
            judges[key] = j
            return j
        }

        /// One principal's evaluator, with the statements covering each action it was asked about (per worker: the
        /// matching of every statement's `Action` patterns was, per record and action, most of a review's policy work).
        private final class Judge {
            let evaluator: Evaluator
            /// Some statement has a condition (else no decision reads the request's context).
            let conditional: Bool
            private var coverings: [IAMAction: Evaluator.Covering] = [:]
            init(_ evaluator: Evaluator) {
                self.evaluator = evaluator
                conditional = evaluator.policies.documents.contains { $0.statements.contains { !$0.conditions.isEmpty } }
            }

            func covering(_ action: IAMAction) -> Evaluator.Covering {
                if let c = coverings[action] { return c }
                let c = evaluator.covering(action)
                coverings[action] = c
                return c
            }
        }

        public func merge(_ o: Accumulator) {
            usage.merge(o.usage)
            for (p, actions) in o.scopes {
                for (a, s) in actions { scopes[p, default: [:]][a, default: ResourceScope()].merge(s, prefix: a.prefix) }
            }
            for (p, actions) in o.grantChecks {
                for (a, c) in actions { grantChecks[p, default: [:]][a, default: GrantCheck()].merge(c) }
            }
            for (k, v) in o.regions { regions[k, default: RegionActivity()].merge(v) }
            for (k, v) in o.userAgents { for x in v { Accumulator.addSample(x, to: &userAgents[k, default: []]) } }
            for (k, v) in o.sessionNames { for x in v { Accumulator.addSample(x, to: &sessionNames[k, default: []]) } }
        }

        public func findings(_ facts: RunFacts) -> [Finding] {
            sink.box.withLock { $0 = self }
            return []
        }
    }
}

extension ReviewUsageDetector.Accumulator: PartialCoding {
    public func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(PartialUsage(usage), "usage")
        try c.put(scopes, "scopes")
        try c.put(grantChecks, "grantChecks")
        try c.put(regions, "regions")
        try c.put(userAgents, "userAgents")
        try c.put(sessionNames, "sessionNames")
    }

    public func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        try c.get("usage", as: PartialUsage.self).restore(into: usage)
        scopes = try c.get("scopes")
        grantChecks = try c.get("grantChecks")
        regions = try c.get("regions")
        userAgents = try c.get("userAgents")
        sessionNames = try c.get("sessionNames")
    }
}
