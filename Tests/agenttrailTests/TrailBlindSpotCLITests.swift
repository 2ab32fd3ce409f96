import Foundation
import AgentTrailTestSupport
import Testing

/// "The trail cannot see this" from the command line (issue 14, point 5): review and scan of SampleLogs with its
/// policies, whose trail has no Bedrock data events while a role is granted Bedrock data-plane actions.
@Suite struct TrailBlindSpotCLITests {
    static let args = ["SampleLogs", "--config", "SampleLogs/agenttrail.yml", "--policies", "SampleLogs/policies"]

    @Test func reviewJSONAndMarkdown() throws {
        let out = CLIRunner.inProcess(["review"] + Self.args + ["--format", "json"])
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let spots = try #require(j["blindSpots"] as? [[String: Any]])
        #expect(spots.map { $0["service"] as? String } == ["bedrock"])
        #expect((spots.first?["selectorTypes"] as? [String])?.contains("AWS::Bedrock::AgentAlias") == true)
        let md = CLIRunner.inProcess(["review"] + Self.args)
        #expect(md.stdout.components(separatedBy: "## What the trail cannot see").count == 2)
    }

    @Test func scanSaysItOncePerService() throws {
        let out = CLIRunner.inProcess(["scan"] + Self.args)
        #expect(out.stdout.components(separatedBy: "The trail cannot see bedrock data events").count == 2)
        #expect(out.stdout.contains("resources.type = AWS::Bedrock::AgentAlias"))
    }
}
