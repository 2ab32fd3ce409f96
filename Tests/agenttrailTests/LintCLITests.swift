import Foundation
import Testing

/// `agenttrail lint` as a user runs it on the seed guide's policies.
@Suite struct LintCLITests {
    static let seed = "Tests/AgentTrailTests/Fixtures/policies/seed"

    @Test func seedGuidePoliciesFailWithSuggestions() throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        let out = try CLIRunner.run(exe, ["lint", Self.seed + "/02-minimal-permissions.json", Self.seed + "/08-gateway.json"])
        #expect(out.status == 2)
        #expect(out.stdout.contains("InvokeAgentRuntime"))
        #expect(out.stdout.contains("CreateGatewayTarget"))
    }

    @Test func jsonFormatAndThreshold() throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        let out = try CLIRunner.run(exe, ["lint", Self.seed + "/10b-least-privilege-good.json", "--format", "json", "--fail-on", "critical"])
        #expect(out.status == 0)
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(j["findings"] is [Any])
        #expect(j["documentsChecked"] as? Int == 1)
    }

    @Test func usageAndMissingFiles() throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        #expect(try CLIRunner.run(exe, ["lint"]).status == 1)
        #expect(try CLIRunner.run(exe, ["lint", "x.json", "--fail-on", "urgent"]).status == 1)
        let stats = try CLIRunner.run(exe, ["lint", Self.seed + "/10b-least-privilege-good.json", "--catalogue-stats"])
        #expect(stats.stderr.contains("20918 actions"))
    }
}
