import Foundation
import AgentTrailTestSupport
import Testing

/// `agenttrail lint` on the 2026 AgentCore rules (issue 14): retired registry actions, privilege-escalation paths.
@Suite struct LintAgentCoreCLITests {
    static let fixtures = "Tests/AgentTrailTests/Fixtures/policies/2026"

    @Test func retiredRegistryActionsAreDeprecated() throws {
        let file = Self.fixtures + "/registry-preview-namespace.json"
        let out = CLIRunner.inProcess(["lint", file, "--format", "json"])
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let findings = try #require(j["findings"] as? [[String: Any]]).filter { $0["rule"] as? String == "deprecated-action" }
        #expect(findings.count == 6)
        #expect(findings.first?["message"] as? String
                == "bedrock-agentcore:CreateRegistry is deprecated since 2026-09, use agent-registry:CreateRegistry")
        #expect(findings.first?["severity"] as? String == "medium")
        let text = CLIRunner.inProcess(["lint", file])
        #expect(text.stdout.contains("Statement[0].Action[2]: medium [deprecated-action] bedrock-agentcore:SearchRegistryRecords is deprecated since 2026-09, use agent-registry:SearchDiscoverableRegistryRecords"))
    }

    @Test func escalationPathsFromAuthorizationDetails() throws {
        let file = "Tests/AgentTrailTests/Fixtures/policies/agentcore-escalation/authorization-details.json"
        let out = CLIRunner.inProcess(["lint", file, "--format", "json"])
        #expect(out.status == 2)
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let findings = try #require(j["findings"] as? [[String: Any]]).filter { $0["rule"] as? String == "agentcore-passrole-escalation" }
        #expect(findings.map { $0["severity"] as? String } == ["critical", "high"])
        #expect((findings.last?["statements"] as? [String])?.count == 2)
        let text = CLIRunner.inProcess(["lint", "Tests/AgentTrailTests/Fixtures/policies/agentcore-escalation/near-miss-passrole-one-role-to-agentcore.json"])
        #expect(!text.stdout.contains("[agentcore-"))
    }
}
