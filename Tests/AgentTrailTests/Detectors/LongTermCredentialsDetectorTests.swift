import Testing
@testable import AgentTrail

@Suite struct LongTermCredentialsDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: [
        (F.rec("bedrock.amazonaws.com", "InvokeModel", user: "alice"), "access-key", Severity.medium),
        (F.rec("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", user: "alice"), "access-key", .medium),
        (F.rec("bedrock.amazonaws.com", "InvokeModel", root: true, key: "AKIAROOTKEY"), "root", .high),
        (F.rec("bedrock.amazonaws.com", "Converse", role: "App", additional: #"{"callWithBearerToken": true}"#), "bedrock-api-key", .medium),
        (F.rec("bedrock.amazonaws.com", "Converse", role: "App", additional: "{\n \"x\":1,\"callWithBearerToken\" :\ttrue}"), "bedrock-api-key", .medium),
        (F.rec("bedrock.amazonaws.com", "InvokeModel", user: "BedrockAPIKey-ab12"), "bedrock-api-key", .medium),
    ])
    func fires(record: CloudTrailRecord, credential: String, severity: Severity) throws {
        let f = try #require(F.run(LongTermCredentialsDetector(), [record]).first)
        #expect(f.subject == ["credential": credential])
        #expect(f.severity == severity)
        #expect(f.count == 1)
    }

    @Test(arguments: [
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App"),
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App", additional: #"{"callWithBearerToken":false}"#),
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App", additional: #"{"callWithBearerTokenX":true}"#),
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App", additional: #"{"callWithBearerToken":"trueish"}"#),
        F.rec("s3.amazonaws.com", "GetObject", user: "alice"),
        F.rec("iam.amazonaws.com", "ListUsers", root: true),
    ])
    func nearMisses(record: CloudTrailRecord) {
        #expect(F.run(LongTermCredentialsDetector(), [record]).isEmpty)
    }

    @Test func listsActionsAndKeys() throws {
        let f = try #require(F.run(LongTermCredentialsDetector(), [
            F.bedrock("InvokeModel", user: "alice", time: nil), F.bedrock("ListFoundationModels", user: "alice"),
        ]).first)
        #expect(f.details["actions"] == ["bedrock:InvokeModel", "bedrock:ListFoundationModels"])
        #expect(f.details["accessKeys"] == ["AKIAEXAMPLE0000000001"])
        #expect(f.count == 2)
    }
}
