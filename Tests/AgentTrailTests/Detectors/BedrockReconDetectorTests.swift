import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

@Suite struct BedrockReconDetectorTests {
    typealias F = TrailFixture

    static func patterns(_ findings: [Finding]) -> [String] { findings.compactMap { $0.subject["pattern"] }.sorted() }

    /// The first `n` recon actions, one every `spacing` minutes, by an IAM user.
    static func reconCalls(_ n: Int, spacing: Int, source: String = "bedrock.amazonaws.com") -> [CloudTrailRecord] {
        // Skip InvokeModel/ListFoundationModels so the list-then-invoke variant stays out of the way.
        let names = BedrockReconDetector.reconActions.filter { $0 != "ListFoundationModels" }
        return (0..<n).map { F.rec(source, names[$0], user: "thief", time: F.at($0 * spacing), error: $0 == 0 ? "AccessDeniedException" : nil) }
    }

    @Test(arguments: [
        (6, 60, true),     // 6/14 ≥ 40% within 5 h
        (6, 280, true),    // spans 23 h 20 min
        (5, 60, false),    // 5/14 < 40%
        (6, 300, false),   // spans 25 h
    ])
    func reconSet(n: Int, spacing: Int, fires: Bool) throws {
        let findings = F.run(BedrockReconDetector(), Self.reconCalls(n, spacing: spacing))
        #expect(Self.patterns(findings) == (fires ? ["recon-set"] : []))
        if fires {
            let f = try #require(findings.first)
            #expect(f.details["actions"]?.count == n)
            #expect(f.count == n)
            #expect(f.severity == .high)
            #expect(f.principal == "arn:aws:iam::111122223333:user/thief")
            #expect(f.title.contains("\(n) of 14"))
        }
    }

    @Test func reconSetNeedsBedrockSource() {
        #expect(F.run(BedrockReconDetector(), Self.reconCalls(8, spacing: 1, source: "sagemaker.amazonaws.com")).isEmpty)
    }

    @Test func reconFractionFromConfig() {
        let ctx = F.context("bedrock-recon", ["reconFraction": 0.2])
        #expect(Self.patterns(F.run(BedrockReconDetector(), Self.reconCalls(3, spacing: 1), context: ctx)) == ["recon-set"])
        #expect(F.run(BedrockReconDetector(), Self.reconCalls(2, spacing: 1), context: ctx).isEmpty)
    }

    @Test(arguments: [
        ("InvokeModel", 10, nil, "AKIAEXAMPLE", "AKIAEXAMPLE", true),
        ("ConverseStream", 15, nil, "AKIAEXAMPLE", "AKIAEXAMPLE", true),
        ("InvokeModel", 0, nil, "AKIAEXAMPLE", "AKIAEXAMPLE", true),
        ("InvokeModel", 16, nil, "AKIAEXAMPLE", "AKIAEXAMPLE", false),    // too late
        ("InvokeModel", -2, nil, "AKIAEXAMPLE", "AKIAEXAMPLE", false),    // invoke before the listing
        ("InvokeModel", 5, "AccessDeniedException", "AKIAEXAMPLE", "AKIAEXAMPLE", false), // invoke failed
        ("InvokeModel", 5, nil, "ASIAEXAMPLE", "AKIAEXAMPLE", false),     // listing with temporary creds
        ("GetFoundationModel", 5, nil, "AKIAEXAMPLE", "AKIAEXAMPLE", false),
    ] as [(String, Int, String?, String, String, Bool)])
    func listThenInvoke(invoke: String, after: Int, error: String?, listKey: String, invokeKey: String, fires: Bool) throws {
        let records = [
            F.bedrock("ListFoundationModels", user: "thief", time: F.at(100), key: listKey),
            F.bedrock(invoke, user: "thief", time: F.at(100 + after), error: error, key: invokeKey),
        ]
        let findings = F.run(BedrockReconDetector(), records)
        #expect(Self.patterns(findings) == (fires ? ["akia-list-then-invoke"] : []))
        if fires {
            let f = try #require(findings.first)
            #expect(f.count == 1)
            #expect(f.evidence.count == 2)
            #expect(f.details["invokes"] == [F.at(100 + after)])
        }
    }

    /// The documented threshold name (`followUpMinutes`, validated by the config reader) is the one the detector reads.
    @Test func followUpMinutesFromConfig() {
        let records = [
            F.bedrock("ListFoundationModels", user: "thief", time: F.at(100)),
            F.bedrock("InvokeModel", user: "thief", time: F.at(125)),
        ]
        #expect(F.run(BedrockReconDetector(), records).isEmpty)
        let ctx = F.context("bedrock-recon", ["followUpMinutes": 30])
        #expect(Self.patterns(F.run(BedrockReconDetector(), records, context: ctx)) == ["akia-list-then-invoke"])
    }

    @Test func listThenInvokeNeedsSameIdentity() {
        let records = [
            F.bedrock("ListFoundationModels", user: "thief", time: F.at(0)),
            F.bedrock("InvokeModel", user: "someone-else", time: F.at(1)),
        ]
        #expect(F.run(BedrockReconDetector(), records).isEmpty)
    }

    @Test(arguments: [
        ("InvokeModel", "ValidationException", true), ("Converse", "ValidationException", true),
        ("InvokeModelWithResponseStream", "ValidationException", true),
        ("InvokeModel", "AccessDeniedException", false), ("CreateGuardrail", "ValidationException", false),
    ])
    func validationProbe(name: String, error: String, fires: Bool) {
        let findings = F.run(BedrockReconDetector(), [F.bedrock(name, role: "App", time: nil, error: error)])
        #expect(Self.patterns(findings) == (fires ? ["validation-probe"] : []))
    }

    /// An invoke of `model` (minutes from the fixture's start) by the role App.
    static func invoke(_ model: String, at minute: Int?, error: String? = nil, region: String = "us-east-1",
                       role: String = "App") -> CloudTrailRecord {
        var r = F.rec("bedrock.amazonaws.com", "InvokeModel", role: role, time: minute.map { F.at($0) }, error: error, region: region)
        r.requestParameters = RawJSON(#"{"modelId":"\#(model)"}"#)
        return r
    }

    /// Documented benign near-misses and true probes: a ValidationException is probing only without established
    /// successful use of that model in that region, or when it spreads over several models within the hour.
    @Test(arguments: [
        ("isolated error of a workload that invokes the model successfully", [
            invoke("anthropic.claude-3-haiku", at: 0), invoke("anthropic.claude-3-haiku", at: 30),
            invoke("anthropic.claude-3-haiku", at: 45, error: "ValidationException"), invoke("anthropic.claude-3-haiku", at: 50),
        ], false),
        ("errors on a model never invoked successfully", [
            invoke("anthropic.claude-3-haiku", at: 0),
            invoke("anthropic.claude-3-opus", at: 45, error: "ValidationException"),
        ], true),
        ("error before the first success (probe, then use)", [
            invoke("anthropic.claude-3-haiku", at: 0, error: "ValidationException"), invoke("anthropic.claude-3-haiku", at: 5),
        ], true),
        ("same model, other region without prior success", [
            invoke("anthropic.claude-3-haiku", at: 0),
            invoke("anthropic.claude-3-haiku", at: 10, error: "ValidationException", region: "eu-west-1"),
        ], true),
        ("errors spread over three models within the hour, even with established use", [
            invoke("m.a", at: 0), invoke("m.b", at: 0), invoke("m.c", at: 0),
            invoke("m.a", at: 100, error: "ValidationException"), invoke("m.b", at: 120, error: "ValidationException"),
            invoke("m.c", at: 150, error: "ValidationException"),
        ], true),
        ("errors on three established models hours apart", [
            invoke("m.a", at: 0), invoke("m.b", at: 0), invoke("m.c", at: 0),
            invoke("m.a", at: 100, error: "ValidationException"), invoke("m.b", at: 300, error: "ValidationException"),
            invoke("m.c", at: 500, error: "ValidationException"),
        ], false),
        ("successes met latest first: the earliest establishes the model before the error", [
            invoke("anthropic.claude-3-haiku", at: 30), invoke("anthropic.claude-3-haiku", at: 0),
            invoke("anthropic.claude-3-haiku", at: 10, error: "ValidationException"),
        ], false),
        ("untimed error after an untimed success of the model", [
            invoke("m.a", at: nil), invoke("m.a", at: nil, error: "ValidationException"),
        ], false),
    ] as [(String, [CloudTrailRecord], Bool)])
    func validationProbeNeedsNoEstablishedUse(name: String, records: [CloudTrailRecord], fires: Bool) throws {
        let findings = F.run(BedrockReconDetector(), records)
        #expect(Self.patterns(findings) == (fires ? ["validation-probe"] : []), "\(name)")
        if fires { #expect(findings.first?.details["comparedAgainst"]?.isEmpty == false) }
        // Same answer split over two workers merged in either order.
        for order in [[0, 1], [1, 0]] {
            let split = F.runSplit(BedrockReconDetector(), records, parts: 2, reverse: true, mergeOrder: order) { $0 }
            #expect(Self.patterns(split) == Self.patterns(findings), "\(name)")
        }
    }

    @Test func storedBaselineModelsAreEstablished() {
        var b = PrincipalBaseline()
        b.models = ["anthropic.claude-3-haiku"]
        let d = BedrockReconDetector(storedBaselines: StaticBaselines([F.roleArn("App"): b]))
        #expect(F.run(d, [Self.invoke("anthropic.claude-3-haiku", at: 5, error: "ValidationException")]).isEmpty)
        #expect(Self.patterns(F.run(d, [Self.invoke("anthropic.claude-3-opus", at: 5, error: "ValidationException")])) == ["validation-probe"])
    }

    /// A developer who lists models and invokes every day (a habit learned in the first part of the window) stays
    /// silent; the same pattern by a key that never did it before is reported once.
    @Test func listThenInvokeOnlyWhenNew() throws {
        func day(_ d: Int, user: String) -> [CloudTrailRecord] {
            [F.bedrock("ListFoundationModels", user: user, time: F.at(d * 1440 + 540), key: "AKIADEV"),
             F.bedrock("InvokeModel", user: user, time: F.at(d * 1440 + 545), key: "AKIADEV")]
        }
        let habit = (0..<10).flatMap { day($0, user: "dev") }
        let ctx = AnalysisContext()
        let facts = BaselineRecordFactory.facts(habit, context: ctx)
        let acc = BedrockReconDetector().makeAccumulator(context: ctx)
        for e in F.observed(habit) { acc.observe(e) }
        #expect(acc.findings(facts).isEmpty)
        // A user first seen in the learning part who only starts listing-then-invoking after it.
        let newer = (0..<10).map { F.bedrock("GetFoundationModel", user: "ops", time: F.at($0 * 1440 + 60), key: "AKIAOPS") }
            + day(8, user: "ops")
        let acc2 = BedrockReconDetector().makeAccumulator(context: ctx)
        for e in F.observed(newer) { acc2.observe(e) }
        let found = acc2.findings(BaselineRecordFactory.facts(newer, context: ctx))
        #expect(Self.patterns(found) == ["akia-list-then-invoke"])
        #expect(found.first?.details["comparedAgainst"]?.first?.hasPrefix("no list-then-invoke by this identity before") == true)
    }

    @Test func redactedProbeStillFound() throws {
        let p = Principal(type: "IAMUser", arn: "[REDACTED]", principalId: "[REDACTED]", accountId: "[REDACTED]",
                          accessKeyId: "[REDACTED]", userName: "[REDACTED]")
        var r = F.rec("bedrock.amazonaws.com", "InvokeModel", principal: p, time: nil, error: "ValidationException")
        r.eventTimeText = "[REDACTED]"
        let f = try #require(F.run(BedrockReconDetector(), [r]).first)
        #expect(f.subject == ["pattern": "validation-probe"])
        #expect(f.principal == "[REDACTED]")
        #expect(f.firstSeen == nil)
    }

    /// The published Sysdig LLMjacking excerpt, decoded here with JSONSerialization for the few fields this
    /// detector reads (the streaming parser lives elsewhere). Its licence is not stated, so it is not vendored:
    /// the test reads `../shared/reallogs` and is skipped, visibly, where that folder is absent.
    static let sysdigURL = URL(fileURLWithPath: TestPaths.sharedReallogs + "/sysdig-llmjacking-bedrock.json")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sysdigURL.path),
                   "../shared/reallogs/sysdig-llmjacking-bedrock.json is not beside the package (not vendored: licence not stated)"))
    func sysdigSample() throws {
        let url = Self.sysdigURL
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let records = try #require(json["Records"] as? [[String: Any]]).map { d -> CloudTrailRecord in
            let u = d["userIdentity"] as? [String: Any] ?? [:]
            let p = Principal(type: u["type"] as? String, arn: u["arn"] as? String, accountId: u["accountId"] as? String,
                              accessKeyId: u["accessKeyId"] as? String, userName: u["userName"] as? String)
            var r = F.rec(d["eventSource"] as? String ?? "", d["eventName"] as? String ?? "", principal: p,
                          time: d["eventTime"] as? String, error: d["errorCode"] as? String, ip: d["sourceIPAddress"] as? String)
            r.eventID = d["eventID"] as? String
            return r
        }
        #expect(records.first?.eventTime == nil)
        let findings = F.run(BedrockReconDetector(), records)
        #expect(Self.patterns(findings) == ["validation-probe"])
        #expect(findings.first?.evidence.first?.eventID == "419e15ca-2097-4190-a233-678415ed9a4f")
    }
}
