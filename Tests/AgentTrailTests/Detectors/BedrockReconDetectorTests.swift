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
    static let sysdigURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/reallogs/sysdig-llmjacking-bedrock.json")

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
