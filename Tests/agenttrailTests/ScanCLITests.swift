import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// The `scan` command as a user runs it: formats, exit codes, filters.
@Suite struct ScanCLITests {
    @Test func jsonHasTheDocumentedKeys() throws {
        let out = CLIRunner.inProcess(["scan", "SampleLogs", "--format", "json", "--config", "SampleLogs/agenttrail.yml",
                                       "--policies", "SampleLogs/policies"])
        #expect(out.status == 0)
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let files = try #require(j["files"] as? [String: Any])
        let skipped = try #require(files["skipped"] as? [String: Any])
        #expect(files["read"] as? Int == 1325)
        #expect(skipped["digest"] as? Int == 0 && skipped["insight"] as? Int == 0 && skipped["outOfRange"] as? Int == 0)
        #expect((files["failed"] as? [Any])?.isEmpty == true)
        let records = try #require(j["records"] as? [String: Any])
        #expect(records["total"] as? Int == 5395)
        #expect(records["malformed"] as? Int == 0)
        #expect((records["byEventSource"] as? [String: Int])?["bedrock.amazonaws.com"] == 2028)
        #expect(records["bedrock"] as? Int == 2028 && records["agentcore"] as? Int == 1356)
        #expect(j["principals"] as? Int == 26)
        let range = try #require(j["timeRange"] as? [String: Any])
        #expect(range["first"] as? String == "2025-06-02T00:01:09Z")
        let findings = try #require(j["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        for key in ["detector", "severity", "principal", "subject", "count", "firstSeen", "lastSeen", "eventIds"] {
            #expect(findings.allSatisfy { $0[key] != nil }, "finding without \(key)")
        }
    }

    /// `--policies` takes one value per use: a log path after it is the archive, not a policy; repeated and
    /// comma-separated forms load the same policies.
    @Test func policiesDoNotSwallowLogPaths() throws {
        func totals(_ args: [String]) throws -> (Int32, Int?, Int) {
            let out = CLIRunner.inProcess(["scan", "--format", "json"] + args)
            let j = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
            let findings = (j?["findings"] as? [[String: Any]]) ?? []
            return (out.status, (j?["records"] as? [String: Any])?["total"] as? Int,
                    findings.filter { ($0["detector"] as? String) == "over-broad-grant" }.count)
        }
        let before = try totals(["--policies", "SampleLogs/policies", "SampleLogs"])
        #expect(before.0 == 0 && before.1 == 5395)
        #expect(before.2 > 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: "SampleLogs/policies").filter { $0.hasSuffix(".json") }.sorted()
        let split = Array(files.prefix(2)).map { "SampleLogs/policies/" + $0 }
        let repeated = try totals(split.flatMap { ["--policies", $0] } + ["SampleLogs"])
        let commas = try totals(["--policies", split.joined(separator: ","), "SampleLogs"])
        #expect(repeated.1 == 5395 && commas.1 == 5395)
        #expect(repeated.2 == commas.2)
    }

    /// Terminal controls and bidi marks in a file name never reach the terminal raw, in any command's warnings or
    /// text output (events, timeline, scan --policies, lint).
    @Test func fileNamesAreEscapedInEveryCommandsOutput() throws {
        let dir = try TestPaths.temporaryFolder("esc")
        defer { TestPaths.remove(dir) }
        let name = "evil\u{1B}]0;pwned\u{07}\u{1B}[31m\u{202E}\u{2028}x"
        let log = dir.appendingPathComponent(name + ".json.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x02]).write(to: log)  // truncated gzip
        let policy = dir.appendingPathComponent(name + "-policy.json")
        try Data(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:InvokeAgent\#u{1B}[2J","Resource":"*"}]}"#.utf8).write(to: policy)
        let bad: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{202E}", "\u{2028}"]
        for args in [["events", dir.path], ["timeline", "someone", dir.path], ["scan", dir.path, "--policies", policy.path],
                     ["lint", policy.path]] {
            let out = CLIRunner.inProcess(args)
            #expect(!out.stderr.unicodeScalars.contains { bad.contains($0) }, "stderr of \(args[0])")
            #expect(!out.stdout.unicodeScalars.contains { bad.contains($0) }, "stdout of \(args[0])")
        }
    }

    @Test func failOnGivesExitTwo() throws {
        let hit = CLIRunner.inProcess(["scan", "SampleLogs", "--format", "jsonl", "--fail-on", "critical"])
        #expect(hit.status == 2)
        #expect(hit.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("{") })
        let none = CLIRunner.inProcess(["scan", "SampleLogs", "--format", "jsonl", "--fail-on", "critical", "--until", "2025-06-03"])
        #expect(none.status == 0)
    }

    @Test func usageErrorsExitOne() throws {
        #expect(CLIRunner.inProcess(["scan"]).status == 1)
        #expect(CLIRunner.inProcess(["scan", "SampleLogs", "--since", "yesterday"]).status == 1)
        #expect(CLIRunner.inProcess(["scan", "/nonexistent/path"]).status == 1)
        let bad = CLIRunner.inProcess(["scan", "SampleLogs", "--config", "Tests/AgentTrailTests/Fixtures/archive-edge/manifest.json"])
        #expect(bad.status == 1)
    }

    @Test func pruningByAccountRegionAndTime() throws {
        let out = CLIRunner.inProcess(["scan", "SampleLogs", "--summary-only", "--format", "json", "--account", "444455556666",
                                       "--region", "us-west-2", "--since", "2025-06-10", "--until", "2025-06-11T00:00:00Z"])
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let files = try #require(j["files"] as? [String: Any])
        #expect((files["skipped"] as? [String: Any])?["outOfRange"] as? Int ?? 0 > 0)
        let range = try #require(j["timeRange"] as? [String: Any])
        let first = try #require(range["first"] as? String)
        let last = try #require(range["last"] as? String)
        #expect(first >= "2025-06-10" && last <= "2025-06-11T00:00:00Z")
    }

    @Test func hostileTextIsEscapedInTerminalOutput() {
        #expect(Escaping.terminal("a\u{1B}[31mred\u{7}") == "a\\u{1b}[31mred\\u{7}")
        #expect(!Escaping.terminal("x\u{202E}y").contains("\u{202E}"))
    }
}
