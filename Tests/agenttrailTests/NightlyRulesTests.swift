import AgentTrailTestSupport
import Foundation
import Testing

/// A nightly run's rules (`DeferredRules`): loaded when it reads files; over an unchanged archive not loaded while
/// their files stay as they were when they last loaded without error, and loaded — with their error ending the run,
/// as in any scan — as soon as a file changed.
@Suite(.serialized) struct NightlyRulesTests {
    static let rule = """
        title: InvokeModel seen
        id: 6f1a2b3c-0000-4000-8000-000000000001
        status: test
        logsource:
          product: aws
          service: cloudtrail
        detection:
          sel:
            eventName: InvokeModel
          condition: sel
        level: low

        """

    @Test func aRuleBrokenOverAnUnchangedArchiveStillEndsTheRun() throws {
        let dir = try TestPaths.temporaryFolder("nightly-rules")
        defer { TestPaths.remove(dir) }
        let logs = dir.appendingPathComponent("logs"), rules = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("SampleLogs"), to: logs)
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let ruleFile = rules.appendingPathComponent("invoke.yml")
        try Self.rule.write(to: ruleFile, atomically: false, encoding: .utf8)
        let state = dir.appendingPathComponent("state.sqlite").path
        let args = ["scan", "--state", state, "--rules", rules.path, "--format", "json", "--all-findings", logs.path]

        let first = CLI.runInProcess(args)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("InvokeModel seen"))
        // Unchanged archive, unchanged rules: nothing read, the same open findings (the rule's among them).
        let second = CLI.runInProcess(args)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Self.filesRead(second.stdout) == 0)
        #expect(second.stdout.contains("InvokeModel seen"))
        // The rule file broken, the archive still unchanged: the rule's error ends the run (exit 1), naming the file.
        try (Self.rule + "  broken: [\n").write(to: ruleFile, atomically: false, encoding: .utf8)
        let third = CLI.runInProcess(args)
        #expect(third.status == 1)
        #expect(third.stderr.contains("rule error") && third.stderr.contains("invoke.yml"), "\(third.stderr)")
        // Mended: the run loads it again and goes on.
        try Self.rule.write(to: ruleFile, atomically: false, encoding: .utf8)
        let fourth = CLI.runInProcess(args)
        #expect(fourth.status == 0, "\(fourth.stderr)")
        #expect(try Self.filesRead(fourth.stdout) == 0)
        // A rule path that went missing is reported too.
        try FileManager.default.removeItem(at: rules)
        let fifth = CLI.runInProcess(args)
        #expect(fifth.status != 0)
    }

    static func filesRead(_ json: String) throws -> Int {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let state = try #require(o["state"] as? [String: Any])
        return try #require(state["filesRead"] as? Int)
    }
}
