import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

@Suite struct BedrockGuardrailOrLoggingChangeDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: [
        ("DeleteModelInvocationLoggingConfiguration", Severity.high), ("PutModelInvocationLoggingConfiguration", .medium),
        ("DeleteGuardrail", .high), ("UpdateGuardrail", .medium),
        ("DeleteEnforcedGuardrailConfiguration", .high), ("PutEnforcedGuardrailConfiguration", .medium),
    ])
    func fires(name: String, severity: Severity) throws {
        let ok = try #require(F.run(BedrockGuardrailOrLoggingChangeDetector(), [F.bedrock(name, role: "Admin")]).first)
        #expect(ok.severity == severity)
        #expect(ok.subject == ["action": "bedrock:" + name, "region": "us-east-1"])
        #expect(ok.principal == F.roleArn("Admin"))
        let denied = try #require(F.run(BedrockGuardrailOrLoggingChangeDetector(),
                                        [F.bedrock(name, role: "Admin", error: "AccessDeniedException")]).first)
        #expect(denied.severity == EventSignals.lowered(severity))
    }

    @Test(arguments: [
        ("bedrock.amazonaws.com", "ListGuardrails", nil), ("bedrock.amazonaws.com", "GetGuardrail", nil),
        ("bedrock.amazonaws.com", "GetModelInvocationLoggingConfiguration", nil),
        ("bedrock.amazonaws.com", "DeleteGuardrail", "ResourceNotFoundException"),
        ("bedrock-agentcore.amazonaws.com", "DeleteGuardrail", nil),
    ] as [(String, String, String?)])
    func nearMisses(source: String, name: String, error: String?) {
        #expect(F.run(BedrockGuardrailOrLoggingChangeDetector(), [F.rec(source, name, role: "Admin", error: error)]).isEmpty)
    }

    /// Panther's Bedrock test records (vendored in Fixtures/reallogs, Apache-2.0): Delete logging, Update and
    /// Delete guardrail fire; ListGuardrails does not.
    @Test func pantherSample() throws {
        let url = URL(fileURLWithPath: TestPaths.vendoredReallogs + "/panther-bedrock-tests.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let records = try #require(json["Records"] as? [[String: Any]]).map { d -> CloudTrailRecord in
            let u = d["userIdentity"] as? [String: Any] ?? [:]
            let issuer = (u["sessionContext"] as? [String: Any])?["sessionIssuer"] as? [String: Any]
            let p = Principal(type: u["type"] as? String, arn: u["arn"] as? String, accountId: u["accountId"] as? String,
                              sessionIssuerArn: issuer?["arn"] as? String)
            var r = F.rec(d["eventSource"] as? String ?? "", d["eventName"] as? String ?? "", principal: p,
                          time: nil, error: d["errorCode"] as? String, region: d["awsRegion"] as? String)
            r.eventID = d["eventID"] as? String
            return r
        }
        let findings = F.run(BedrockGuardrailOrLoggingChangeDetector(), records)
        #expect(findings.compactMap { $0.subject["action"] }.sorted() == [
            "bedrock:DeleteGuardrail", "bedrock:DeleteModelInvocationLoggingConfiguration", "bedrock:UpdateGuardrail",
        ])
        #expect(findings.allSatisfy { $0.principal?.contains(":role/") == true || $0.principal?.contains(":user/") == true })
    }
}
