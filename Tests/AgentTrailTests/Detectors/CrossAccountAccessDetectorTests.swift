import Testing
@testable import AgentTrail

@Suite struct CrossAccountAccessDetectorTests {
    typealias F = TrailFixture

    @Test func firesForForeignCaller() throws {
        let f = try #require(F.run(CrossAccountAccessDetector(), [
            F.rec("bedrock.amazonaws.com", "InvokeModel", role: "Partner", account: "444455556666", recipient: "111122223333"),
            F.rec("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", role: "Partner", account: "444455556666", recipient: "111122223333"),
        ]).first)
        #expect(f.subject == ["account": "111122223333"])
        #expect(f.principal == "arn:aws:iam::444455556666:role/Partner")
        #expect(f.count == 2)
        #expect(f.severity == .medium)
        #expect(f.details["callerAccounts"] == ["444455556666"])
    }

    @Test(arguments: [
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "Local"),
        F.rec("s3.amazonaws.com", "GetObject", role: "Partner", account: "444455556666", recipient: "111122223333"),
        F.rec("bedrock-agentcore.amazonaws.com", "InvokeGateway", principal: Principal(type: "AWSAccount", accountId: "anonymous"),
              recipient: "111122223333"),
        F.rec("bedrock.amazonaws.com", "InvokeModel", principal: Principal(type: "AWSService", accountId: "999999999999",
              invokedBy: "bedrock.amazonaws.com"), recipient: "111122223333"),
        F.rec("bedrock.amazonaws.com", "InvokeModel", principal: Principal(type: "IAMUser", arn: "[REDACTED]", accountId: "[REDACTED]"),
              recipient: "[REDACTED]"),
    ])
    func nearMisses(record: CloudTrailRecord) {
        #expect(F.run(CrossAccountAccessDetector(), [record]).isEmpty)
    }
}
