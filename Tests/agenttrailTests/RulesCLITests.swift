import Foundation
import Testing
import AgentTrailTestSupport
@testable import agenttrail

/// `--rules`, `--no-default-rules`, `rules check` and `rules match` from the command line (in process).
@Suite struct RulesCLITests {
    static let sigmaHQ = TestPaths.fixtures + "/sigma/SigmaHQ-cloudtrail"

    static func sigmaDetectors(_ stdout: String) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        return findings.compactMap { $0["detector"] as? String }.filter { $0.hasPrefix("sigma:") }
    }

    @Test func thePackRunsByDefaultAndTurnsOff() throws {
        let on = CLIRunner.inProcess(["scan", "SampleLogs", "--format", "json"])
        let off = CLIRunner.inProcess(["scan", "SampleLogs", "--format", "json", "--no-default-rules"])
        #expect(on.status == 0 && off.status == 0)
        #expect(!(try Self.sigmaDetectors(on.stdout)).isEmpty)
        #expect((try Self.sigmaDetectors(off.stdout)).isEmpty)
    }

    @Test func rulesAreRepeatableAndNeverSwallowTheLogPath() throws {
        let out = CLIRunner.inProcess(["scan", "--rules", Self.sigmaHQ, "--rules", Self.sigmaHQ + "/aws_root_account_usage.yml",
                                       "--no-default-rules", TestPaths.vendoredReallogs, "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect((try Self.sigmaDetectors(out.stdout)).contains("sigma:8ad1600d-e9dc-4251-b0ee-a65268f29add"))
    }

    @Test func aRuleThatDoesNotLoadStopsTheScanNamingFileLineAndFeature() throws {
        let dir = try TestPaths.temporaryFolder("rules-cli")
        defer { TestPaths.remove(dir) }
        let bad = dir.appendingPathComponent("bad.yml")
        try """
        title: Uses windash
        id: 11111111-2222-4333-8444-555555555555
        logsource: {product: aws, service: cloudtrail}
        detection:
            sel:
                userAgent|windash: '-x'
            condition: sel
        """.write(to: bad, atomically: true, encoding: .utf8)
        let scan = CLIRunner.inProcess(["scan", "--rules", bad.path, "SampleLogs"])
        #expect(scan.status == 1)
        #expect(scan.stderr.contains("bad.yml:6"), "\(scan.stderr)")
        #expect(scan.stderr.contains("windash"))
        let check = CLIRunner.inProcess(["rules", "check", bad.path])
        #expect(check.status == 1)
        #expect(check.stdout.contains("error:") && check.stdout.contains("windash"))
        // With two jobs the policies and the rules load at once; the errors are the same, in the same order: a
        // --policies path that does not exist before a rule error, a rule error when the policies are fine.
        for jobs in ["1", "2"] {
            let both = CLIRunner.inProcess(["scan", "--jobs", jobs, "--rules", bad.path, "--policies", "/nonexistent/p.json",
                                            "SampleLogs"])
            #expect(both.status == 1)
            #expect(both.stderr.contains("no such file or directory") && !both.stderr.contains("windash"), "\(both.stderr)")
            let rulesOnly = CLIRunner.inProcess(["scan", "--jobs", jobs, "--rules", bad.path, "--policies",
                                                 "SampleLogs/policies", "SampleLogs"])
            #expect(rulesOnly.status == 1)
            #expect(rulesOnly.stderr.contains("bad.yml:6") && rulesOnly.stderr.contains("windash"), "\(rulesOnly.stderr)")
        }
    }

    /// A rule file whose YAML breaks after a valid document stops a scan (at 1 and 2 jobs, where the rule files are
    /// parsed on both threads) and `rules check` with the file and line; it never loads half of the file silently.
    @Test func brokenYAMLStopsTheScanNamingFileAndLine() throws {
        let dir = try TestPaths.temporaryFolder("rules-cli-yaml")
        defer { TestPaths.remove(dir) }
        try """
        title: Fine
        id: 11111111-2222-4333-8444-666666666666
        logsource: {product: aws, service: cloudtrail}
        detection: {sel: {eventName: GetObject}, condition: sel}
        ---
        title: Broken
          - id: [
        """.write(to: dir.appendingPathComponent("half.yml"), atomically: true, encoding: .utf8)
        for jobs in ["1", "2"] {
            let scan = CLIRunner.inProcess(["scan", "--jobs", jobs, "--rules", dir.path, "SampleLogs"])
            #expect(scan.status == 1)
            #expect(scan.stderr.contains("half.yml:7") && scan.stderr.contains("invalid YAML"), "\(scan.stderr)")
        }
        let check = CLIRunner.inProcess(["rules", "check", dir.path])
        #expect(check.status == 1)
        #expect(check.stdout.contains("half.yml:7"), "\(check.stdout)")
    }

    @Test func checkListsThePackAndMatchPrintsJSONLines() throws {
        let check = CLIRunner.inProcess(["rules", "check", "--format", "json"])
        #expect(check.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        #expect((json?["rules"] as? [Any])?.count ?? 0 >= 70)
        #expect((json?["errors"] as? [Any])?.isEmpty == true)
        let match = CLIRunner.inProcess(["rules", "match", "--no-default-rules", "--rules", Self.sigmaHQ, TestPaths.vendoredReallogs])
        #expect(match.status == 0)
        let lines = match.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines { #expect(line.hasPrefix("{\"file\":") && line.contains("\"rule\":")) }
    }

    /// Nightly mode runs the rules too.
    @Test func nightlyRunsTheRules() throws {
        let dir = try TestPaths.temporaryFolder("rules-nightly")
        defer { TestPaths.remove(dir) }
        let out = CLIRunner.inProcess(["scan", "SampleLogs", "--state", dir.appendingPathComponent("s.db").path, "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!(try Self.sigmaDetectors(out.stdout)).isEmpty)
    }
}
