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

    /// A Bedrock API key's user known by its ARN alone (no userName, a temporary key), remembered per principal: the
    /// same principal value again, an equal principal made apart, and other principals in between keep their answers.
    @Test func apiKeyUserByArnPerPrincipal() {
        func rec(_ arn: String, _ p: Principal? = nil) -> CloudTrailRecord {
            var r = CloudTrailRecord(eventSource: "bedrock.amazonaws.com", eventName: "InvokeModel",
                                     principal: p ?? Principal(type: "IAMUser", arn: arn, accountId: "1", accessKeyId: "ASIAEXAMPLE"))
            r.eventTime = Instant(millisecondsSince1970: 1_752_500_000_000)
            return r
        }
        let keyUser = Principal(type: "IAMUser", arn: "arn:aws:iam::1:user/BedrockAPIKey-q9", accountId: "1", accessKeyId: "ASIAEXAMPLE")
        let records = [rec("", keyUser), rec("arn:aws:iam::1:user/alice"), rec("", keyUser),
                       rec("arn:aws:iam::1:user/BedrockAPIKey-q9"), rec("arn:aws:iam::1:user/path/BedrockAPIKey"),
                       rec("arn:aws:iam::1:role/BedrockAPIKey-q9"), rec("", keyUser)]
        let findings = F.run(LongTermCredentialsDetector(), records)
        #expect(findings.map { "\($0.principal ?? "-") \($0.subject["credential"] ?? "-") \($0.count)" }
                == ["arn:aws:iam::1:user/BedrockAPIKey-q9 bedrock-api-key 4"])
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
