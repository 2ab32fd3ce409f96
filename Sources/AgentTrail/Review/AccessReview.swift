/// Runs the access review: one streaming pass (every record decoded) with all detectors plus
/// `ReviewUsageDetector`, then per principal the usage model, findings, right-sized policy and diff.
public enum AccessReview {
    /// Reviews the principals with policies in `loaded` plus every AgentCore execution role seen; `only` limits the
    /// review to principals matching an ARN or name (see `matches(_:query:)`).
    /// `options.context` must carry the config and `loaded.info`.
    public static func run(_ options: ScanOptions, loaded: PolicyContextLoader.Loaded, only: String? = nil,
                           progress: (@Sendable (ScanProgress) -> Void)? = nil) -> AccessReport {
        let sink = ReviewUsageDetector.Sink()
        let options = passOptions(options, loaded: loaded, sink: sink)
        let result = ScanRun.run(options, progress: progress)
        let files = options.walk?.files ?? ArchiveWalker(filter: options.filter).walk(options.paths).files
        return report(result, sink: sink, files: EvidenceFiles(files), context: options.context, loaded: loaded, only: only)
    }

    /// The options of a review's pass over the logs: every record decoded; every detector, the policy detectors and
    /// `ReviewUsageDetector` feeding `sink`.
    public static func passOptions(_ options: ScanOptions, loaded: PolicyContextLoader.Loaded,
                                   sink: ReviewUsageDetector.Sink) -> ScanOptions {
        var options = options
        options.decodeEverything = true
        options.detectors = DetectorRegistry.all() + DetectorRegistry.policyDetectors(loaded) + [ReviewUsageDetector(sink: sink)]
        return options
    }

    /// The review from the findings of a pass (`passOptions`, whose `sink` now holds the merged usage) and the files
    /// it read; the same whether the pass was one scan or the merge of partial results.
    public static func report(_ result: ScanResult, sink: ReviewUsageDetector.Sink, files: EvidenceFiles, context: AnalysisContext,
                              loaded: PolicyContextLoader.Loaded, only: String? = nil) -> AccessReport {
        let acc = sink.merged ?? ReviewUsageDetector.Accumulator(context: context, sink: sink)
        let window = EvidenceWindow(activity: acc.regions, files: files, minimumDays: context.config.minimumEvidenceDays)
        let facts = result.facts ?? RunFacts(firstEvent: nil, lastEvent: nil, agentRoles: [], baselineEnd: nil, context: context)

        var subjects: [(arn: String, policies: PrincipalPolicies?)] = []
        for key in loaded.info.keys.sorted() { subjects.append((key, loaded.info[key]?.policies)) }
        let agentRoles = Set(acc.usage.usage.keys.filter { facts.isAgentRole($0) }).union(facts.agentRoles)
        for role in agentRoles.sorted() where !subjects.contains(where: { $0.policies?.matches(arn: role) == true || $0.arn == role }) {
            subjects.append((role, nil))
        }
        var reviews: [PrincipalReview] = []
        for s in subjects {
            let review = PrincipalReviewBuilder(acc: acc, facts: facts, window: window, findings: result.findings)
                .build(key: s.arn, policies: s.policies)
            if let only, !matches(review, query: only) { continue }
            reviews.append(review)
        }
        reviews.sort { $0.arn < $1.arn }
        let blind = TrailBlindSpot.compute(reviews.filter(\.hasPolicies).map { r in
            (r.arn, r.actions.filter { $0.granted && $0.status == .unknown }.map(\.action))
        }, isBlind: { EventActionMap.shared.recording(of: $0) == .data })
        return AccessReport(window: window, principals: reviews, catalogue: ActionCatalogue.shared.sourceDescription,
                            blindSpots: blind, damaged: result.summary.failed)
    }

    /// The right-sized policy of the principal matching `query` (ARN with or without path, session ARN, or name),
    /// from one pass over the logs. Nil when no call of such a principal is in the logs.
    public static func policy(_ options: ScanOptions, principal query: String) -> (keys: [String], policy: RecommendedPolicy)? {
        var damaged: [DamagedInput] = []
        return policy(options, principal: query, damaged: &damaged)
    }

    /// `policy(_:principal:)`, also giving the log files that could not be read completely.
    public static func policy(_ options: ScanOptions, principal query: String,
                              damaged: inout [DamagedInput]) -> (keys: [String], policy: RecommendedPolicy)? {
        var options = options
        options.decodeEverything = true
        let sink = ReviewUsageDetector.Sink()
        options.detectors = [ReviewUsageDetector(sink: sink)]
        damaged = ScanRun.run(options).summary.failed
        guard let acc = sink.merged else { return nil }
        let keys = acc.scopes.keys.filter { matches(key: $0, query: query) }.sorted()
        guard !keys.isEmpty else { return nil }
        return (keys, PolicyGenerator.make(mergedScopes(acc, keys: keys)))
    }

    /// Scopes of several principal keys merged per action.
    static func mergedScopes(_ acc: ReviewUsageDetector.Accumulator, keys: [String]) -> [IAMAction: ResourceScope] {
        var out: [IAMAction: ResourceScope] = [:]
        for k in keys { for (a, s) in acc.scopes[k] ?? [:] { out[a, default: ResourceScope()].merge(s, prefix: a.prefix) } }
        return out
    }

    /// True when a review's ARN or one of its keys matches the query.
    public static func matches(_ review: PrincipalReview, query: String) -> Bool {
        matches(key: review.arn, query: query) || review.keys.contains { matches(key: $0, query: query) } || review.name == query
    }

    /// True when a principal key (role/user ARN) is `query`: the same ARN, the same role or user ignoring the IAM
    /// path, a session of it, or its name.
    public static func matches(key: String, query: String) -> Bool {
        if key == query { return true }
        let target = Principal.roleArn(fromAssumedRoleArn: query) ?? query
        guard let k = ARN(key), k.service == "iam" else { return false }
        if let q = ARN(target) {
            return q.service == "iam" && q.account == k.account && q.resourceType == k.resourceType && q.resourceName == k.resourceName
        }
        return k.resourceName == query
    }
}
