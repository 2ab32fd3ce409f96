import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `scan` of SampleLogs with its config and policies in text, json, jsonl and ocsf, against the goldens.
///
/// Run in process, not through the binary, for a fixed "now" (the review goldens' 2025-07-01): SampleLogs'
/// agenttrail.yml has a suppression that expires on 2036-12-31, so the binary's output (now = the wall clock) would
/// change on that day. The rendering mirrors `ScanCommand.run`; `renderingMatchesTheBinary` checks the mirror
/// against the binary's goldens of the vendored samples.
@Suite struct ScanGoldenTests {
    static let now = Instant(year: 2025, month: 7, day: 1)!  // as SampleLogsScanTests.scan

    /// SampleLogs scanned as `agenttrail scan SampleLogs --config SampleLogs/agenttrail.yml --policies SampleLogs/policies`
    /// (`SampleLogsScanTests.scan`, same "now"), at 1 job with zlib and at 2 jobs with the default decompressor: the
    /// scans `SampleLogsScanTests` shares, so the goldens add no scan. `AGENTTRAIL_SLOW_TESTS=1` adds 2 and 4 jobs.
    static let sampleRuns: Result<[(label: String, result: ScanResult)], Error> = Result {
        var runs = [("--jobs 1 --decompressor zlib", try SampleLogsScanTests.atOneJobZlib.get()),
                    ("--jobs 2", try SampleLogsScanTests.atTwoJobs.get())]
        for (i, jobs) in Golden.jobCounts.enumerated().dropFirst(2) {
            runs.append(("run \(i + 1) (--jobs \(jobs))", try SampleLogsScanTests.scan(jobs: jobs)))
        }
        return runs
    }

    /// What `ScanCommand.run` prints for `--format format --min-severity minimum` (`time`: its "now").
    static func render(_ result: ScanResult, format: String, minimum: Severity, time: Instant) -> String {
        let shown = result.findings(atLeast: minimum)
        switch format {
        case "text": return result.text(style: TextStyle(colors: false), minimum: minimum)
        case "json":
            var r = result
            r.findings = shown
            return r.json.serialized(pretty: true) + "\n"
        case "jsonl": return shown.map { $0.json.serialized() + "\n" }.joined()
        default: return shown.map { $0.ocsf(time: time).serialized() + "\n" }.joined()
        }
    }

    /// Text shows every finding; the machine formats `--min-severity high` (critical and high), to stay reviewable.
    @Test(arguments: [("text", "scan-sample.txt", Severity.info), ("json", "scan-sample-high.json", .high),
                      ("jsonl", "scan-sample-high.jsonl", .high), ("ocsf", "scan-sample-high.ocsf.jsonl", .high)])
    func sampleLogs(format: String, golden: String, minimum: Severity) throws {
        let runs = try Self.sampleRuns.get()
        let outputs = runs.map { run in
            (label: run.label, text: GoldenMask.apply(Self.render(run.result, format: format, minimum: minimum, time: Self.now)))
        }
        Golden.expectSame(outputs, golden)
        try Golden.expect(outputs[0].text, golden)
    }

    /// The rendering above, on the vendored samples with the wall clock, equals the binary's goldens of them (so the
    /// SampleLogs goldens are what the binary prints).
    @Test func renderingMatchesTheBinary() throws {
        if Golden.updating { return }  // compares with goldens the binary's test writes
        // As the binary without --config (none in the package root) and without --policies.
        let config = AgentTrailConfig()
        let policies = try PolicyContextLoader.load(paths: [], config: config)
        var options = ScanOptions(paths: [TestPaths.vendoredReallogs], jobs: 2, now: Instant.now)
        options.context = AnalysisContext(config: config, policies: policies.info)
        options.detectors = DetectorRegistry.all() + DetectorRegistry.policyDetectors(policies)
            + [DetectorRegistry.ruleDetector(RulePack.shipped ?? RuleSet())].compactMap { $0 }  // as `scan` runs
        let result = ScanRun.run(options)
        for (format, golden) in [("text", "scan-reallogs.txt"), ("json", "scan-reallogs.json"), ("jsonl", "scan-reallogs.jsonl"),
                                 ("ocsf", "scan-reallogs.ocsf.jsonl")] {
            let text = GoldenMask.apply(Self.render(result, format: format, minimum: .info, time: Instant.now))
            try Golden.expect(text, golden)
        }
    }
}
