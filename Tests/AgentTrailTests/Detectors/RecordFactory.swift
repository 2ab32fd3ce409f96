import Testing
@testable import AgentTrail

/// Builds CloudTrail records, runs detectors and compares merge orders, for the detector tests.
enum TrailFixture {
    static let account = "111122223333"

    /// Parses `2025-01-01T00:00:00Z` (seconds, optional `.mmm`); nil for anything else.
    static func instant(_ text: String?) -> Instant? {
        guard let text else { return nil }
        let digits = text.split(whereSeparator: { "-T:.Z".contains($0) }).map { Int($0) }
        guard digits.count >= 6, digits.allSatisfy({ $0 != nil }) else { return nil }
        let d = digits.map { $0! }
        return Instant(year: d[0], month: d[1], day: d[2], hour: d[3], minute: d[4], second: d[5],
                       millisecond: d.count > 6 ? d[6] : 0)
    }

    /// `2025-01-01T00:00:00Z` plus `minutes` (and `seconds`).
    static func at(_ minutes: Int, seconds: Int = 0, base: String = "2025-01-01T00:00:00Z") -> String {
        instant(base)!.adding(seconds: Int64(minutes * 60 + seconds)).iso8601
    }

    /// Role ARN of a role name in the fixture account.
    static func roleArn(_ name: String, account: String = account) -> String { "arn:aws:iam::\(account):role/\(name)" }

    /// A record. Caller: `role` (assumed-role session, `ASIA` key), `user` (IAM user, `AKIA` key), `root`,
    /// or `principal` as given. `key` overrides the access key id.
    static func rec(_ source: String, _ name: String, role: String? = nil, user: String? = nil, root: Bool = false,
                    principal: Principal? = nil, account: String = account, time: String? = "2025-01-01T00:00:00Z",
                    error: String? = nil, message: String? = nil, ip: String? = "198.51.100.7", key: String? = nil,
                    region: String? = "us-east-1", recipient: String? = nil, tls: String? = nil, host: String? = nil,
                    additional: String? = nil, response: String? = nil, eventID: String? = nil) -> CloudTrailRecord {
        var p = principal ?? Principal()
        if let role {
            p = Principal(type: "AssumedRole", arn: "arn:aws:sts::\(account):assumed-role/\(role)/session-1",
                          accountId: account, accessKeyId: "ASIAEXAMPLE0000000001", sessionIssuerArn: roleArn(role, account: account),
                          sessionIssuerType: "Role")
        } else if let user {
            p = Principal(type: "IAMUser", arn: "arn:aws:iam::\(account):user/\(user)", accountId: account,
                          accessKeyId: "AKIAEXAMPLE0000000001", userName: user)
        } else if root {
            p = Principal(type: "Root", arn: "arn:aws:iam::\(account):root", accountId: account)
        }
        if let key { p.accessKeyId = key }
        var r = CloudTrailRecord(eventSource: source, eventName: name, principal: p)
        r.eventTime = instant(time)
        r.eventTimeText = time
        r.errorCode = error
        r.errorMessage = message
        r.sourceIPText = ip
        r.sourceAddress = SourceAddress(ip)
        r.awsRegion = region
        r.recipientAccountId = recipient ?? account
        r.tlsVersion = tls
        r.clientProvidedHostHeader = host
        r.additionalEventData = additional.map(RawJSON.init)
        r.responseElements = response.map(RawJSON.init)
        r.eventID = eventID
        return r
    }

    /// Shorthand for a Bedrock record.
    static func bedrock(_ name: String, role: String? = nil, user: String? = nil, time: String? = "2025-01-01T00:00:00Z",
                        error: String? = nil, key: String? = nil) -> CloudTrailRecord {
        rec("bedrock.amazonaws.com", name, role: role, user: user, time: time, error: error, key: key)
    }

    /// Wraps records as observed events: file `a.json` for the first half, `b.json` for the rest; missing event
    /// ids become `e<index>`.
    static func observed(_ records: [CloudTrailRecord]) -> [ObservedRecord] {
        records.enumerated().map { i, r in
            var r = r
            if r.eventID == nil { r.eventID = "e\(i)" }
            let half = records.count / 2
            return ObservedRecord(record: r, file: i < half ? "a.json" : "b.json", index: i < half ? i : i - half)
        }
    }

    static func facts(_ context: AnalysisContext) -> RunFacts {
        RunFacts(firstEvent: nil, lastEvent: nil, agentRoles: [], baselineEnd: nil, context: context)
    }

    /// Runs one accumulator over all records; findings sorted by key.
    static func run(_ detector: any Detector, _ records: [CloudTrailRecord],
                    context: AnalysisContext = AnalysisContext()) -> [Finding] {
        let acc = detector.makeAccumulator(context: context)
        for e in observed(records) { acc.observe(e) }
        return acc.findings(facts(context)).sorted { $0.key < $1.key }
    }

    /// Runs `parts` accumulators over a split of the records (record i goes to part `assign(i)`), feeding each
    /// part in reverse when `reverse`, then merges them in `mergeOrder`; findings sorted by key.
    static func runSplit(_ detector: any Detector, _ records: [CloudTrailRecord], parts: Int, reverse: Bool,
                         mergeOrder: [Int], context: AnalysisContext = AnalysisContext(),
                         assign: (Int) -> Int) -> [Finding] {
        let events = observed(records)
        let accs = (0..<parts).map { _ in detector.makeAccumulator(context: context) }
        var buckets = [[ObservedRecord]](repeating: [], count: parts)
        for (i, e) in events.enumerated() { buckets[assign(i) % parts].append(e) }
        for p in 0..<parts {
            for e in (reverse ? Array(buckets[p].reversed()) : buckets[p]) { accs[p].observe(e) }
        }
        let target = accs[mergeOrder[0]]
        for i in mergeOrder.dropFirst() { target.mergeErased(accs[i]) }
        return target.findings(facts(context)).sorted { $0.key < $1.key }
    }

    /// Context with thresholds for one detector.
    static func context(_ detector: String, _ thresholds: [String: Double] = [:], trusted: [String] = []) -> AnalysisContext {
        var config = AgentTrailConfig()
        config.detectors[detector] = DetectorSettings(thresholds: thresholds)
        config.trustedCIDRs = trusted.compactMap { CIDR($0) }
        return AnalysisContext(config: config)
    }
}
