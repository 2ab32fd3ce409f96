import Foundation
import Testing
@testable import AgentTrail

/// The review of SampleLogs rendered as Markdown, JSON and CSV equals the goldens, for any job count.
@Suite struct ReviewGoldenTests {
    @Test(arguments: ["markdown", "json", "csv"])
    func golden(format: String) throws {
        let report = try ReviewFixtures.sampleReport.get()
        switch format {
        case "markdown": try ReviewFixtures.expectGolden(report.markdown, "review-sample.md")
        case "json": try ReviewFixtures.expectGolden(report.json.serialized(pretty: true) + "\n", "review-sample.json")
        default: try ReviewFixtures.expectGolden(report.csv, "review-sample.csv")
        }
    }

    @Test func sameResultForAnyJobCount() throws {
        let (one, loaded) = try ReviewFixtures.sampleOptions(jobs: 1)
        let (four, _) = try ReviewFixtures.sampleOptions(jobs: 4)
        let a = AccessReview.run(one, loaded: loaded).json.serialized()
        let b = AccessReview.run(four, loaded: loaded).json.serialized()
        #expect(a == b)
    }

    /// Hand-checked facts of SampleLogs (README "Policies"): the statuses the goldens must keep.
    @Test func sampleFacts() throws {
        let report = try ReviewFixtures.sampleReport.get()
        let bot = try #require(report.principals.first { $0.name == "AgentCoreRuntime-support-bot" })
        // Explicit Deny of dynamodb:Scan: not granted, only denied attempts.
        #expect(!bot.used.contains("dynamodb:Scan") && !bot.unused.contains("dynamodb:Scan"))
        #expect(bot.deniedAttempts.contains("dynamodb:Scan"))
        // The NotAction statement on the knowledge-base bucket grants S3 object/bucket actions, not other services.
        #expect(bot.unused.contains("s3:PutObject") || bot.unknown.contains("s3:PutObject"))
        #expect(!bot.actions.contains { $0.action.prefix == "ec2" && $0.granted })
        // SampleLogs holds AgentCore data events (InvokeGateway, memory events), so unexercised AgentCore data
        // actions are unused, not unknown.
        #expect(bot.unused.contains("bedrock-agentcore:ListEvents"))
        #expect(bot.used.contains("bedrock-agentcore:CreateEvent"))
        // Permission-only actions are unknown, never unused.
        for a in bot.actions where ActionCatalogue.shared.action(named: a.action)?.permissionOnly == true && a.successes == 0
            && EventActionMap.shared.recording(of: a.action) == .notRecorded {
            #expect(a.status == .unknown || !a.granted, "\(a.action)")
        }
        let research = try #require(report.principals.first { $0.name == "AgentCoreRuntime-research-agent" })
        #expect(research.unused == ["bedrock-agentcore:ListEvents", "xray:PutTelemetryRecords", "xray:PutTraceSegments"])
        // CloudTrail does not log CloudWatch Logs ingestion (`RecordingTable.notLogged`): unknown, never unused.
        #expect(research.unknown.contains("logs:PutLogEvents"))
        #expect(research.deniedAttempts == ["iam:ListAttachedRolePolicies", "secretsmanager:ListSecrets"])
        #expect(report.window.days == 15 && report.window.isShort)
    }
}
