import AgentTrailTestSupport
import Foundation
import Testing

/// One golden of a command's stdout: the command line (without `--jobs`), the exit status it must end with
/// (stderr must be empty: none of these runs warns).
struct CLIGoldenCase: Sendable, CustomTestStringConvertible {
    let golden: String
    let args: [String]
    var status: Int32 = 0
    /// The command reads logs and takes `--jobs`: it runs once per `Golden.jobCounts`; `lint` runs twice as is.
    var takesJobs = true

    var testDescription: String { golden }

    static let sample = TestPaths.sampleLogs
    static let reallogs = TestPaths.vendoredReallogs
    static let seedPolicies = TestPaths.packageRoot + "/Tests/AgentTrailTests/Fixtures/policies/seed"
    static let allColumns = "time,principal,session,event,action,source-ip,region,account,error,user-agent,event-id,access-key,file"

    static let scan: [CLIGoldenCase] = [
        // The vendored public samples, no config (none in the package root, where the commands run).
        CLIGoldenCase(golden: "scan-reallogs.txt", args: ["scan", reallogs]),
        CLIGoldenCase(golden: "scan-reallogs.json", args: ["scan", reallogs, "--format", "json"]),
        CLIGoldenCase(golden: "scan-reallogs.jsonl", args: ["scan", reallogs, "--format", "jsonl"]),
        CLIGoldenCase(golden: "scan-reallogs.ocsf.jsonl", args: ["scan", reallogs, "--format", "ocsf"]),
    ]

    static let events: [CLIGoldenCase] = [
        CLIGoldenCase(golden: "events-denied.txt", args: ["events", sample, "--denied", "--format", "table"]),
        CLIGoldenCase(golden: "events-contractor-all-columns.csv",
                      args: ["events", sample, "--principal", "contractor-temp", "--format", "csv", "--columns", allColumns]),
        CLIGoldenCase(golden: "events-contractor-first3.jsonl",
                      args: ["events", sample, "--principal", "contractor-temp", "--limit", "3", "--format", "jsonl"]),
        CLIGoldenCase(golden: "events-count-by-principal.txt", args: ["events", sample, "--count", "--by", "principal", "--format", "table"]),
        CLIGoldenCase(golden: "events-count-bedrock-by-action.csv",
                      args: ["events", sample, "--action", "bedrock*:*", "--count", "--by", "action", "--format", "csv"]),
        // No --format: jsonl, as stdout is a pipe.
        CLIGoldenCase(golden: "events-count-denied-by-error.jsonl", args: ["events", sample, "--denied", "--count", "--by", "error"]),
        CLIGoldenCase(golden: "events-count-bedrock-window.txt",
                      args: ["events", sample, "--event-source", "bedrock.amazonaws.com", "--since", "2025-06-10",
                             "--until", "2025-06-11T12:00Z", "--count", "--format", "table"]),
    ]

    static let timeline: [CLIGoldenCase] = [
        CLIGoldenCase(golden: "timeline-ops-dave.txt", args: ["timeline", "ops-dave", sample]),
        CLIGoldenCase(golden: "timeline-ops-dave.md", args: ["timeline", "ops-dave", sample, "--format", "markdown"]),
        CLIGoldenCase(golden: "timeline-agents-window.txt",
                      args: ["timeline", "arn:aws:iam::*:role/*Agent*", sample, "--since", "2025-06-12T12:00Z",
                             "--until", "2025-06-12T17:59:59Z"]),
    ]

    static let lint: [CLIGoldenCase] = [
        CLIGoldenCase(golden: "lint-samplelogs-policies.txt", args: ["lint", sample + "/policies"], status: 2, takesJobs: false),
        CLIGoldenCase(golden: "lint-samplelogs-policies.json", args: ["lint", sample + "/policies", "--format", "json"],
                      status: 2, takesJobs: false),
        CLIGoldenCase(golden: "lint-seed.txt", args: ["lint", seedPolicies], status: 2, takesJobs: false),
        CLIGoldenCase(golden: "lint-seed.json", args: ["lint", seedPolicies, "--format", "json"], status: 2, takesJobs: false),
    ]
}

/// `scan` (on a small archive), `events`, `timeline` and `lint` as the commands print them, against the goldens
/// (masked, see `GoldenMask`), at every job count of `Golden.jobCounts`. The commands run in process
/// (`CLIRunner.inProcess`, through the binary's own `AgentTrailCommand.execute`); `binaryPrintsTheSame` checks that the
/// built binary prints the same bytes.
@Suite struct CLIGoldenTests {
    @Test(arguments: CLIGoldenCase.scan + CLIGoldenCase.events + CLIGoldenCase.timeline + CLIGoldenCase.lint)
    func golden(_ c: CLIGoldenCase) throws {
        var outputs: [(label: String, text: String)] = []
        for (i, jobs) in Golden.jobCounts.enumerated() {
            let args = c.takesJobs ? c.args + ["--jobs", String(jobs)] : c.args
            let label = c.takesJobs ? "run \(i + 1) (--jobs \(jobs))" : "run \(i + 1)"
            let out = CLIRunner.inProcess(args)
            #expect(out.status == c.status, "\(c.golden), \(label): exit \(out.status)")
            #expect(out.stderr.isEmpty, "\(c.golden), \(label): stderr \(out.stderr)")
            outputs.append((label, GoldenMask.apply(out.stdout)))
        }
        Golden.expectSame(outputs, c.golden)
        try Golden.expect(outputs[0].text, c.golden)
    }

    /// The built binary writes to its pipes the bytes a run in process captures: the process boundary of the goldens
    /// (a text golden that exits 2, and `events` without --format, which prints JSON lines when stdout is not a terminal).
    @Test(arguments: ["lint-seed.txt", "events-count-denied-by-error.jsonl"])
    func binaryPrintsTheSame(_ golden: String) throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        let all = CLIGoldenCase.scan + CLIGoldenCase.events + CLIGoldenCase.timeline + CLIGoldenCase.lint
        let c = try #require(all.first { $0.golden == golden })
        let args = c.takesJobs ? c.args + ["--jobs", "1"] : c.args
        let binary = try CLIRunner.run(exe, args)
        let inProcess = CLIRunner.inProcess(args)
        #expect(binary.status == inProcess.status)
        #expect(binary.stdout == inProcess.stdout)
        #expect(binary.stderr == inProcess.stderr)
    }
}
