import Testing
@testable import AgentTrail

/// Principal patterns match whole ARNs, or — without a `:` — the role or user name (`sessionIssuer.userName`).
@Suite struct PrincipalPatternTests {
    static let role = "arn:aws:iam::111122223333:role/service-role/AgentCoreRuntime-support-bot"

    @Test(arguments: [
        ("arn:aws:iam::*:role/service-role/AgentCoreRuntime-*", role, true),
        ("AgentCoreRuntime-*", role, true),
        ("AgentCoreRuntime-support-bot", role, true),
        ("service-role/AgentCoreRuntime-support-bot", role, false),   // a name has no path
        ("support-bot", role, false),
        ("alice", "arn:aws:iam::111122223333:user/alice", true),
        ("Admin", "arn:aws:sts::111122223333:assumed-role/Admin/bob", true),
        ("bob", "arn:aws:sts::111122223333:assumed-role/Admin/bob", false),  // session names are not principals
        ("root", "arn:aws:iam::111122223333:root", false),
        ("*", "service:bedrock.amazonaws.com", true),
        ("bedrock", "service:bedrock.amazonaws.com", false),
    ])
    func matches(pattern: String, principal: String, expected: Bool) {
        #expect(PrincipalPattern.matches(pattern, principal) == expected)
    }

    @Test func configRulesAndAgentRolesMatchByName() {
        var config = AgentTrailConfig()
        config.principals = [PrincipalRule(pattern: "AgentCoreRuntime-*", expectedServices: ["dynamodb"])]
        config.agentRolePatterns = ["AgentCoreRuntime-*"]
        #expect(config.rules(for: Self.role).map(\.expectedServices) == [["dynamodb"]])
        let facts = RunFacts(firstEvent: nil, lastEvent: nil, agentRoles: [], baselineEnd: nil, context: AnalysisContext(config: config))
        #expect(facts.isAgentRole(Self.role))
        #expect(!facts.isAgentRole("arn:aws:iam::111122223333:role/Other"))
    }

    /// `sessionIssuer.userName` is decoded and is one of the names `--principal` compares with.
    @Test func sessionIssuerUserNameIsDecodedAndMatched() throws {
        let json = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"AssumedRole","accessKeyId":"ASIAX","sessionContext":{"sessionIssuer":{"type":"Role","userName":"AgentCoreRuntime-support-bot"}}}}"#
        let record = try #require(try RecordDecoder().decode(Array(json.utf8)))
        #expect(record.principal.sessionIssuerUserName == "AgentCoreRuntime-support-bot")
        #expect(PrincipalNames.of(record.principal).contains("AgentCoreRuntime-support-bot"))
    }
}
