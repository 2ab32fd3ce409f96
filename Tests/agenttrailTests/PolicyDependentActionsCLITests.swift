import Foundation
import AgentTrailTestSupport
import Testing

/// `agenttrail policy` with dependent actions (issue 14, point 3): the policy on stdout holds them, stderr says why.
@Suite struct PolicyDependentActionsCLITests {
    @Test func passRoleForUpdateAgentRuntime() throws {
        let out = CLIRunner.inProcess(["policy", "SampleLogs", "--principal", "AWSReservedSSO_AppDeveloper_1e6b8f0a7c2d4953"])
        #expect(out.status == 0)
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let statements = try #require(j["Statement"] as? [[String: Any]])
        let iam = try #require(statements.first { ($0["Action"] as? [String]) == ["iam:PassRole"] })
        #expect(iam["Resource"] as? [String] == ["arn:aws:iam::444455556666:role/AgentCoreRuntime-research-agent"])
        #expect(out.stderr.contains("note: iam:PassRole needed by bedrock-agentcore:UpdateAgentRuntime (added): the role ARN named in the requests of bedrock-agentcore:UpdateAgentRuntime"))
    }
}
