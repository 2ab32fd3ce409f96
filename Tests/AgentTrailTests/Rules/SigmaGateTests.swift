import Foundation
import Testing
@testable import AgentTrail
import AgentTrailTestSupport

/// The rule gates (`SigmaDetection.gate`): which items a rule is decided by from the per-worker memos, and that the
/// scan's gated path finds exactly what the plain evaluation finds, record after record (memos warm).
@Suite struct SigmaGateTests {
    @Test(arguments: [
        // (detection, exact, items in the gate)
        ("sel:\n    userIdentity.type: AssumedRole\n    userIdentity.sessionContext.sessionIssuer.type: Role\ncondition: sel", true, 2),
        ("sel:\n    userAgent: TruffleHog\ncondition: sel", true, 1),
        ("sel:\n    eventSource: ec2.amazonaws.com\n    eventName: RunInstances\ncondition: sel", true, 2),
        // A nested path that is not userIdentity is not memoised: the identity item alone is a necessary condition.
        ("sel:\n    eventName: X\n    requestParameters.a: b\n    userIdentity.type: Root\ncondition: sel", false, 1),
        // `and not`: the positive side's identity items are necessary; the rule is not their AND.
        ("a:\n    userIdentity.type: Root\nb:\n    eventType: AwsServiceEvent\ncondition: a and not b", false, 1),
        ("a:\n    userIdentity.type: Root\nb:\n    eventType: AwsServiceEvent\ncondition: a and b", true, 2),
        ("a:\n    userIdentity.type: Root\nb:\n    eventType: AwsServiceEvent\ncondition: all of them", true, 2),
        ("a:\n    userIdentity.type: Root\ncondition: 1 of a*", true, 1),
        // OR gives no necessary item.
        ("a:\n    userIdentity.type: Root\nb:\n    eventType: AwsServiceEvent\ncondition: a or b", false, 0),
        ("a:\n    userIdentity.type: Root\nb:\n    eventType: AwsServiceEvent\ncondition: 1 of them", false, 0),
        ("sel:\n    - userIdentity.type: Root\n    - userIdentity.type: IAMUser\ncondition: sel", false, 0),
        ("a:\n    userIdentity.type: Root\ncondition: not a", false, 0),
        // A field reference reads another field: not memoised by value.
        ("sel:\n    userAgent|fieldref: sourceIPAddress\ncondition: sel", false, 0),
        // Keywords are not memoised.
        ("kw:\n    - TruffleHog\ncondition: kw", false, 0),
    ])
    func gates(detection: String, exact: Bool, items: Int) throws {
        let set = try SigmaTest.compile(SigmaTest.rule(detection))
        let gate = set.rules[0].detection.gate
        #expect(gate.exact == exact)
        #expect(gate.items.count == items)
    }

    /// The text lengths a gate item can match (checked before its value is hashed for the memo).
    @Test(arguments: [
        ("userAgent: TruffleHog", 10, 10),
        ("userAgent: Truffle?og", 10, 13),
        ("userAgent|contains: hog", 3, Int.max),
        ("userAgent:\n        - Truff\n        - TruffleHog", 5, 10),
        ("userAgent|all:\n        - Truffle*\n        - '*og'", 7, Int.max),
        ("userAgent|all:\n        - Truffle?og\n        - '*og'", 10, 13),
    ])
    func lengthBounds(item: String, min: Int, max: Int) throws {
        let set = try SigmaTest.compile(SigmaTest.rule("sel:\n    \(item)\ncondition: sel"))
        let bounds = try #require(set.rules[0].detection.gate.items.first?.lengthBounds)
        #expect(bounds.min == min && bounds.max == max)
    }

    static func record(_ n: Int, type: String, agent: String, eventType: String = "AwsApiCall", name: String = "ListBuckets") -> String {
        let identity = type == "Root"
            ? #"{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}"#
            : #"{"type":"AssumedRole","principalId":"AROA:s","arn":"arn:aws:sts::111122223333:assumed-role/app/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/app"}}}"#
        return #"{"eventVersion":"1.08","userIdentity":\#(identity),"eventTime":"2026-11-20T10:00:\#(String(format: "%02d", n))Z","eventSource":"s3.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"\#(agent)","eventType":"\#(eventType)","eventID":"e\#(n)"}"#
    }

    /// Records whose memoised values repeat and differ (identity, user agent, case), in one file and one worker: each
    /// rule's matches through the scan equal `SigmaDetection.matches` record by record.
    @Test(arguments: [
        "sel:\n    userAgent: TruffleHog\ncondition: sel",
        "sel:\n    userAgent|cased: TruffleHog\ncondition: sel",
        "sel:\n    userAgent|contains: hog\n    userIdentity.type: Root\ncondition: sel",
        "a:\n    userIdentity.type: Root\nb:\n    eventType: AwsServiceEvent\ncondition: a and not b",
        "sel:\n    userIdentity.type: AssumedRole\n    userIdentity.sessionContext.sessionIssuer.type: Role\ncondition: sel",
        "sel:\n    eventName: ListBuckets\n    userAgent|startswith: aws-cli\ncondition: sel",
        "a:\n    userIdentity.type: AssumedRole\nb:\n    userAgent: TruffleHog\ncondition: a and not b",
        "sel:\n    userAgent: Truffle?og\ncondition: sel",
        "sel:\n    userAgent:\n        - Truff\n        - TruffleHog\ncondition: sel",
        "sel:\n    userAgent|all:\n        - Truffle*\n        - '*og'\ncondition: sel",
    ])
    func gatedScanEqualsPlainEvaluation(detection: String) throws {
        let records = [
            Self.record(0, type: "Root", agent: "TruffleHog"),
            Self.record(1, type: "Root", agent: "trufflehog"),
            Self.record(2, type: "AssumedRole", agent: "TruffleHog"),
            Self.record(3, type: "Root", agent: "TruffleHog", eventType: "AwsServiceEvent"),
            Self.record(4, type: "AssumedRole", agent: "aws-cli/2.15"),
            Self.record(5, type: "AssumedRole", agent: "TruffleHog2"),
            Self.record(6, type: "Root", agent: "aws-cli/2.15", name: "GetObject"),
            Self.record(7, type: "AssumedRole", agent: "TruffleHog"),
            Self.record(8, type: "Root", agent: "trufflehog"),
            // Escaped text is shorter than its raw bytes: a gate's length check must not reject these.
            Self.record(9, type: "AssumedRole", agent: "Truffle\\u0048og"),
            Self.record(10, type: "Root", agent: "\\u0054ruffle\\u0048o\\u0067"),
            Self.record(11, type: "AssumedRole", agent: "Truff"),
            Self.record(12, type: "AssumedRole", agent: "TruffleÄog"),
            Self.record(13, type: "AssumedRole", agent: "Truffle\\u00c4og"),
        ]
        let dir = try TestPaths.temporaryFolder("sigma-gate")
        defer { TestPaths.remove(dir) }
        try HostileFiles.log(records).write(to: dir.appendingPathComponent("a.json"))
        let yaml = SigmaTest.rule(detection)
        var expected: [Int] = []
        for (i, r) in records.enumerated() where try SigmaTest.matches(yaml, r) { expected.append(i) }
        let set = try SigmaTest.compile(yaml)
        let (matches, _) = RuleMatchRun.run(rules: set, options: ScanOptions(paths: [dir.path], jobs: 1))
        #expect(matches.map(\.index) == expected)
        #expect(!expected.isEmpty && expected.count < records.count, "the table's records should split on the rule")
    }
}
