import AgentTrail

/// Concise CloudTrail records and detector runs for the baseline detector tests.
enum BaselineRecordFactory {
    static let account = "111122223333"
    static let role = "arn:aws:iam::111122223333:role/AppRole"
    static let agentRole = "arn:aws:iam::111122223333:role/AgentCoreRuntimeRole"
    static let user = "arn:aws:iam::111122223333:user/alice"
    static let start = Instant(year: 2025, month: 7, day: 1)!

    /// `start` plus `days` and `hours`.
    static func at(day: Int = 0, hour: Double = 0) -> Instant {
        Instant(millisecondsSince1970: start.millisecondsSince1970 + Int64(day) * 86_400_000 + Int64(hour * 3_600_000))
    }

    /// A record of `principal` (a role ARN → an assumed-role session; a user ARN → an IAM user).
    static func rec(_ principal: String = role, day: Int = 0, hour: Double = 0, source: String = "bedrock",
                    name: String = "InvokeModel", ip: String? = "203.0.113.5", region: String = "us-east-1",
                    vpce: String? = nil, error: String? = nil, readOnly: Bool? = nil, model: String? = nil,
                    invokedBy: String? = nil, id: String? = nil, key: String? = nil) -> CloudTrailRecord {
        var p = Principal(accountId: account)
        if principal.contains(":role/") {
            let name = String(principal.split(separator: "/").last!)
            p.type = "AssumedRole"
            p.arn = "arn:aws:sts::\(account):assumed-role/\(name)/session"
            p.sessionIssuerArn = principal
            p.sessionIssuerType = "Role"
            p.accessKeyId = "ASIAEXAMPLE"
        } else {
            p.type = "IAMUser"
            p.arn = principal
            p.userName = String(principal.split(separator: "/").last!)
            p.accessKeyId = "AKIAEXAMPLE"
        }
        p.invokedBy = invokedBy
        if let key { p.accessKeyId = key }
        var r = CloudTrailRecord(eventSource: source + ".amazonaws.com", eventName: name, principal: p)
        r.eventTime = at(day: day, hour: hour)
        r.awsRegion = region
        r.sourceIPText = ip
        r.sourceAddress = SourceAddress(ip)
        r.vpcEndpointId = vpce
        r.errorCode = error
        r.readOnly = readOnly
        r.eventID = id ?? "evt-\(day)-\(hour)-\(name)-\(ip ?? "-")"
        r.eventCategory = "Management"
        r.recipientAccountId = account
        if let model { r.requestParameters = RawJSON("{\"modelId\":\"\(model)\",\"contentType\":\"application/json\"}") }
        return r
    }

    /// A successful `sts:AssumeRole` of `role` issuing `key`: by the AgentCore service principal (`by` nil), or by
    /// the identity `by` (a user or role ARN) calling from `ip`.
    static func assume(_ role: String = agentRole, key: String, by caller: String? = nil, day: Int = 0, hour: Double = 0,
                       ip: String = "198.51.100.99") -> CloudTrailRecord {
        var r: CloudTrailRecord
        if let caller {
            r = rec(caller, day: day, hour: hour, source: "sts", name: "AssumeRole", ip: ip, id: "assume-\(key)")
        } else {
            let p = Principal(type: "AWSService", invokedBy: "bedrock-agentcore.amazonaws.com")
            r = CloudTrailRecord(eventSource: "sts.amazonaws.com", eventName: "AssumeRole", principal: p)
            r.eventTime = at(day: day, hour: hour)
            r.sourceIPText = "bedrock-agentcore.amazonaws.com"
            r.sourceAddress = SourceAddress(r.sourceIPText)
            r.eventID = "assume-\(key)"
            r.awsRegion = "us-east-1"
        }
        r.requestParameters = RawJSON(#"{"roleArn":"\#(role)","roleSessionName":"s-\#(key)"}"#)
        r.responseElements = RawJSON(#"{"credentials":{"accessKeyId":"\#(key)","sessionToken":"x"}}"#)
        return r
    }

    /// `count` records built by `make(i)`.
    static func many(_ count: Int, _ make: (Int) -> CloudTrailRecord) -> [CloudTrailRecord] { (0..<count).map(make) }

    /// Routine activity of `principal`: a call every 6 hours over `days` days from `ip` in `region`.
    static func routine(_ principal: String = role, days: Int = 10, ip: String = "203.0.113.5", region: String = "us-east-1",
                        name: String = "InvokeModel", model: String? = "anthropic.claude-3-haiku-20240307-v1:0",
                        vpce: String? = nil) -> [CloudTrailRecord] {
        (0...(days * 4)).map { i in
            rec(principal, day: i / 4, hour: Double(i % 4) * 6, name: name, ip: ip, region: region, vpce: vpce, model: model,
                id: "routine-\(principal)-\(i)")
        }
    }

    static func observed(_ records: [CloudTrailRecord], file: String = "test.json") -> [ObservedRecord] {
        records.enumerated().map { ObservedRecord(record: $1, file: file, index: $0) }
    }

    /// Run facts over `records`: span from their times, baseline cut from `context.config.baseline`.
    static func facts(_ records: [CloudTrailRecord], context: AnalysisContext, agentRoles: Set<String> = []) -> RunFacts {
        let times = records.compactMap(\.eventTime)
        let first = times.min(), last = times.max()
        return RunFacts(firstEvent: first, lastEvent: last, agentRoles: agentRoles,
                        baselineEnd: RunFacts.baselineEnd(first: first, last: last, settings: context.config.baseline),
                        context: context)
    }

    /// Observes everything with one accumulator and returns the findings sorted by key.
    static func run(_ detector: any Detector, _ records: [CloudTrailRecord], context: AnalysisContext = AnalysisContext(),
                    agentRoles: Set<String> = []) -> [Finding] {
        let acc = detector.makeAccumulator(context: context)
        for e in observed(records) { acc.observe(e) }
        return acc.findings(facts(records, context: context, agentRoles: agentRoles)).sorted { $0.key < $1.key }
    }

    /// Observes `parts` (lists of observed records) with one accumulator each, merges them in `order`
    /// left to right into the first of that order, and returns the findings sorted by key.
    static func runMerged(_ detector: any Detector, parts: [[ObservedRecord]], order: [Int], allRecords: [CloudTrailRecord],
                          context: AnalysisContext = AnalysisContext(), agentRoles: Set<String> = []) -> [Finding] {
        let accs = parts.map { part -> any DetectorAccumulator in
            let a = detector.makeAccumulator(context: context)
            for e in part { a.observe(e) }
            return a
        }
        let target = accs[order[0]]
        for i in order.dropFirst() { target.mergeErased(accs[i]) }
        return target.findings(facts(allRecords, context: context, agentRoles: agentRoles)).sorted { $0.key < $1.key }
    }
}
