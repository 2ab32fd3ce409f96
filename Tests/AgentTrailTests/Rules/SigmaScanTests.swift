import Foundation
import Testing
import AgentTrailTestSupport
@testable import AgentTrail

/// Rules and correlations in the scan: findings, evidence, and the same result for any job count and file split.
@Suite struct SigmaScanTests {
    static let base = "00000000-0000-4000-8000-0000000000b1"

    static let rules = """
    title: Failed gateway call
    id: \(base)
    name: failed_gateway_call
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            eventSource: bedrock-agentcore.amazonaws.com
            eventName: InvokeGateway
            errorCode|exists: true
        condition: sel
    level: low
    ---
    title: Burst of failed gateway calls
    id: 00000000-0000-4000-8000-0000000000c1
    correlation:
        type: event_count
        rules: [failed_gateway_call]
        group-by: [userIdentity.arn]
        timespan: 5m
        condition: {gte: 5}
    level: high
    ---
    title: Many tools probed
    id: 00000000-0000-4000-8000-0000000000c2
    correlation:
        type: value_count
        rules: [\(base)]
        group-by: [userIdentity.arn]
        timespan: 10m
        condition: {field: requestParameters.toolName, gte: 3}
    level: medium
    ---
    title: Key made then logging stopped
    id: 00000000-0000-4000-8000-0000000000c3
    correlation:
        type: temporal_ordered
        rules: [key_made, logging_stopped]
        group-by: [userIdentity.arn]
        timespan: 1h
    level: critical
    ---
    title: Access key created
    id: 00000000-0000-4000-8000-0000000000b2
    name: key_made
    logsource: {product: aws, service: cloudtrail}
    detection: {sel: {eventName: CreateAccessKey}, condition: sel}
    level: low
    ---
    title: Logging stopped
    id: 00000000-0000-4000-8000-0000000000b3
    name: logging_stopped
    logsource: {product: aws, service: cloudtrail}
    detection: {sel: {eventName: StopLogging}, condition: sel}
    level: high
    """

    static func rec(_ source: String, _ name: String, _ arn: String, _ minute: Int, error: String? = nil, tool: String? = nil, id: Int) -> String {
        let t = String(format: "2026-11-20T10:%02d:00Z", minute)
        let err = error.map { #","errorCode":"\#($0)""# } ?? ""
        let params = tool.map { #","requestParameters":{"toolName":"\#($0)"}"# } ?? ""
        return #"{"eventVersion":"1.11","eventTime":"\#(t)","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","userIdentity":{"type":"AssumedRole","arn":"\#(arn)","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/agent","accountId":"111122223333"}}},"eventID":"ev-\#(id)"\#(err)\#(params)}"#
    }

    /// Records spread over several files so that workers see parts of each window.
    static func archive() throws -> URL {
        let dir = try TestPaths.temporaryFolder("sigma-scan")
        let a = "arn:aws:sts::111122223333:assumed-role/agent/s1", b = "arn:aws:sts::111122223333:assumed-role/agent/s2"
        var records: [String] = []
        var id = 0
        func add(_ s: String) { records.append(s); id += 1 }
        // s1: six failed gateway calls within 4 minutes (a burst), four distinct tools.
        for (m, tool) in [(0, "t1"), (1, "t2"), (1, "t3"), (2, "t4"), (3, "t1"), (4, "t2")] {
            add(rec("bedrock-agentcore.amazonaws.com", "InvokeGateway", a, m, error: "AccessDeniedException", tool: tool, id: id))
        }
        // s2: failed calls too spread out for the burst (one every 6 minutes), and successful ones (no errorCode).
        for m in [0, 6, 12, 18, 24, 30] {
            add(rec("bedrock-agentcore.amazonaws.com", "InvokeGateway", b, m, error: "ValidationException", tool: "t1", id: id))
            add(rec("bedrock-agentcore.amazonaws.com", "InvokeGateway", b, m + 1, id: id))
        }
        // s1 makes a key then stops logging (ordered); s2 stops logging first, then makes a key (not ordered).
        add(rec("iam.amazonaws.com", "CreateAccessKey", a, 10, id: id))
        add(rec("cloudtrail.amazonaws.com", "StopLogging", a, 40, id: id))
        add(rec("cloudtrail.amazonaws.com", "StopLogging", b, 40, id: id))
        add(rec("iam.amazonaws.com", "CreateAccessKey", b, 50, id: id))
        // One file per record, so any job count splits the windows between workers.
        for (i, r) in records.enumerated() {
            try HostileFiles.log([r]).write(to: dir.appendingPathComponent(String(format: "part-%02d.json", i)))
        }
        return dir
    }

    static func scan(_ dir: URL, jobs: Int) throws -> [Finding] {
        let set = try SigmaTest.compile(rules)
        var options = ScanOptions(paths: [dir.path], jobs: jobs)
        options.detectors = [SigmaRulesDetector(rules: set)]
        return ScanRun.run(options).findings
    }

    @Test func correlationsFireOnTheirGroupsOnly() throws {
        let dir = try Self.archive()
        defer { TestPaths.remove(dir) }
        let findings = try Self.scan(dir, jobs: 1)
        let burst = findings.filter { $0.detector == "sigma:00000000-0000-4000-8000-0000000000c1" }
        #expect(burst.count == 1)
        #expect(burst.first?.subject["userIdentity.arn"]?.hasSuffix("/s1") == true)
        #expect(burst.first?.count == 6)
        #expect(burst.first?.severity == .high)
        #expect(burst.first?.evidence.count == 6)
        let tools = findings.filter { $0.detector == "sigma:00000000-0000-4000-8000-0000000000c2" }
        #expect(tools.count == 1)
        #expect(tools.first?.details["peak"] == ["4"])
        let ordered = findings.filter { $0.detector == "sigma:00000000-0000-4000-8000-0000000000c3" }
        #expect(ordered.count == 1)
        #expect(ordered.first?.subject["userIdentity.arn"]?.hasSuffix("/s1") == true)
        // Base rules used by a correlation without `generate: true` make no finding of their own.
        #expect(!findings.contains { $0.detector == "sigma:" + Self.base })
        #expect(!findings.contains { $0.detector == "sigma:00000000-0000-4000-8000-0000000000b3" })
    }

    @Test func sameFindingsForOneAndTwoJobs() throws {
        let dir = try Self.archive()
        defer { TestPaths.remove(dir) }
        let one = try Self.scan(dir, jobs: 1), two = try Self.scan(dir, jobs: 2), four = try Self.scan(dir, jobs: 4)
        #expect(!one.isEmpty)
        #expect(one == two)
        #expect(one == four)
    }

    /// A rule's tally per principal is exact however the principal is known to the worker: by its session issuer, its
    /// ARN, its whole `userIdentity` (an AWS service), or not memoised at all (no `userIdentity`): counts, first and
    /// last times and the earliest 20 events (by time, file, index), with matches arriving latest first in each file,
    /// more than 20 per principal, and the principals interleaved. Expected values are computed here from the
    /// records, grouped by a label each record carries in its eventID (not by the principal keys the scan makes).
    @Test(arguments: [1, 2])
    func talliesPerPrincipalAreExact(jobs: Int) throws {
        let dir = try TestPaths.temporaryFolder("sigma-tallies")
        defer { TestPaths.remove(dir) }
        let identities: [(label: String, json: String?)] = [
            ("issuer-a", #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/a/s1","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/a","accountId":"111122223333"}}}"#),
            ("issuer-b", #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/b/s9","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/b","accountId":"111122223333"}}}"#),
            ("user", #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ops","accountId":"111122223333"}"#),
            ("service", #"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#),
            ("none", nil),
        ]
        struct Event { var label: String, id: String, file: String, index: Int, second: Int }
        var events: [Event] = []
        for f in 0..<3 {
            var lines: [String] = []
            let file = dir.appendingPathComponent("part-\(f).json").path
            // Latest first within a file; a second's ties across files are broken by file, then index.
            for k in 0..<60 {
                let (label, json) = identities[(k * 7 + f) % identities.count]
                let second = (59 - k) * 2 + (f == 1 ? 1 : 0) - (k % 5 == 0 ? 1 : 0)
                let id = "\(label)-\(f)-\(k)"
                let who = json.map { #","userIdentity":\#($0)"# } ?? ""
                lines.append(#"{"eventTime":"2026-11-20T10:\#(String(format: "%02d:%02d", second / 60, second % 60))Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","eventID":"\#(id)"\#(who)}"#)
                events.append(Event(label: label, id: id, file: file, index: k, second: second))
            }
            try HostileFiles.log(lines).write(to: URL(fileURLWithPath: file))
        }
        let set = try SigmaTest.compile(SigmaTest.rule("sel:\n    eventName: DescribeInstances\ncondition: sel"))
        var options = ScanOptions(paths: [dir.path], jobs: jobs)
        options.detectors = [SigmaRulesDetector(rules: set)]
        let findings = ScanRun.run(options).findings.filter { $0.detector.hasPrefix("sigma:") }
        #expect(findings.count == identities.count)
        for finding in findings {
            let labels = Set(finding.evidence.compactMap { $0.eventID?.split(separator: "-").dropLast(2).joined(separator: "-") })
            #expect(labels.count == 1, "one finding per principal: \(labels)")
            guard let label = labels.first else { continue }
            let mine = events.filter { $0.label == label }
                .sorted { ($0.second, $0.file, $0.index) < ($1.second, $1.file, $1.index) }
            #expect(finding.count == mine.count, "\(label)")
            #expect(finding.evidenceTotal == mine.count, "\(label)")
            #expect(finding.evidence.map { $0.eventID ?? "" } == mine.prefix(Evidence.cap).map(\.id), "\(label)")
            #expect(finding.firstSeen?.millisecondsSince1970 == Instant(year: 2026, month: 11, day: 20, hour: 10)!.millisecondsSince1970 + Int64(mine.first!.second) * 1000)
            #expect(finding.lastSeen?.millisecondsSince1970 == Instant(year: 2026, month: 11, day: 20, hour: 10)!.millisecondsSince1970 + Int64(mine.last!.second) * 1000)
        }
    }

    @Test func rulesMatchEveryRecordWhateverTheAnalysisScope() throws {
        // An IAM user's call is outside the built-in detectors' scope; rules still see it.
        let dir = try TestPaths.temporaryFolder("sigma-scope")
        defer { TestPaths.remove(dir) }
        let rec = #"{"eventTime":"2026-11-20T10:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"ModifySnapshotAttribute","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ops","accountId":"111122223333"},"requestParameters":{"createVolumePermission":{"add":{"items":[{"group":"all"}]}}},"eventID":"x1"}"#
        try HostileFiles.log([rec]).write(to: dir.appendingPathComponent("a.json"))
        let set = try SigmaTest.compile(SigmaTest.rule("sel:\n    eventName: ModifySnapshotAttribute\n    requestParameters.createVolumePermission.add.items.group: all\ncondition: sel"))
        var options = ScanOptions(paths: [dir.path], jobs: 1)
        options.detectors = [SigmaRulesDetector(rules: set)]
        let f = ScanRun.run(options).findings
        #expect(f.count == 1)
        #expect(f.first?.principal == "arn:aws:iam::111122223333:user/ops")
        #expect(f.first?.evidence.first?.eventID == "x1")
        #expect(f.first?.details["rule"] == ["00000000-0000-4000-8000-000000000001"])
        let (matches, _) = RuleMatchRun.run(rules: set, options: ScanOptions(paths: [dir.path], jobs: 1))
        #expect(matches == [SigmaMatch(file: dir.path + "/a.json", index: 0, rule: "00000000-0000-4000-8000-000000000001")])
    }

    /// In the scan, rules read the decoder's top-level pass; a record with an escaped top-level key (which that pass
    /// does not record) is read by the rules themselves, with the same result as for the plain key.
    @Test(arguments: [#"requestParameters"#, #"request\u0050arameters"#])
    func escapedTopLevelKeysAreStillFound(key: String) throws {
        let dir = try TestPaths.temporaryFolder("sigma-escaped")
        defer { TestPaths.remove(dir) }
        let rec = #"{"eventTime":"2026-11-20T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","\#(key)":{"bucketName":"b"},"eventID":"x1"}"#
        try HostileFiles.log([rec]).write(to: dir.appendingPathComponent("a.json"))
        let set = try SigmaTest.compile(SigmaTest.rule("sel:\n    requestParameters.bucketName: b\ncondition: sel"))
        let (matches, _) = RuleMatchRun.run(rules: set, options: ScanOptions(paths: [dir.path], jobs: 1))
        #expect(matches.count == 1)
    }

    @Test func configSettingsAndSuppressionsNameOneRule() throws {
        let dir = try Self.archive()
        defer { TestPaths.remove(dir) }
        let yaml = """
        detectors:
          "sigma:00000000-0000-4000-8000-0000000000c2":
            severity: low
          "sigma:00000000-0000-4000-8000-0000000000c3":
            enabled: false
        suppressions:
          - detector: "sigma:00000000-0000-4000-8000-0000000000c1"
            principal: "*"
            reason: load test of the gateway
            expires: 2099-01-01
        """
        let config = try AgentTrailConfig.parse(yaml: yaml, file: "t.yml", detectors: DetectorRegistry.descriptors)
        let set = try SigmaTest.compile(Self.rules)
        var options = ScanOptions(paths: [dir.path], jobs: 2)
        options.context = AnalysisContext(config: config)
        options.detectors = [SigmaRulesDetector(rules: set)]
        let result = ScanRun.run(options)
        #expect(result.findings.map(\.detector) == ["sigma:00000000-0000-4000-8000-0000000000c2"])
        #expect(result.findings.first?.severity == .low)
        #expect(result.suppressed.map(\.finding.detector) == ["sigma:00000000-0000-4000-8000-0000000000c1"])
        // A name that is not a rule id form is still an error.
        #expect(throws: ConfigError.self) {
            try AgentTrailConfig.parse(yaml: "detectors:\n  sigma:\n    threshold: 3\n", file: "t.yml", detectors: DetectorRegistry.descriptors)
        }
    }
}
