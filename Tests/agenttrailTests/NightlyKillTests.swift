import Foundation
import Testing

/// Crash safety of `scan --state`: a run killed at any point (SIGKILL, by itself through a test hook at exact
/// batch boundaries or inside a transaction, or from outside) and re-run ends in the same state and prints the
/// same findings as an uninterrupted run.
@Suite(.serialized) struct NightlyKillTests {
    static let corpus = CLI.packageRoot.appendingPathComponent("SampleLogs/AWSLogs").path

    static func scanArgs(_ db: String) -> [String] {
        ["scan", corpus, "--state", db, "--batch-size", "300", "--format", "jsonl", "--jobs", "2"]
    }

    /// Final findings and deterministic state export after runs with the given hooks, then one clean run.
    static func finalState(crashes: [[String: String]], in dir: URL) throws -> (findings: String, state: String) {
        let db = dir.appendingPathComponent("state.sqlite").path
        for env in crashes {
            let o = try CLI.run(scanArgs(db), env: env)
            #expect(o.killedBySignal == SIGKILL, "expected the hook \(env) to kill the run; status \(o.status), stderr \(o.stderr)")
        }
        let final = try CLI.run(scanArgs(db))
        #expect(final.status == 0, "re-run failed: \(final.stderr)")
        let state = try CLI.run(["state", "export", "--state", db, "--ledger", "--findings"])
        #expect(state.status == 0)
        return (final.stdout, state.stdout)
    }

    static let reference: Result<(findings: String, state: String), Error> = Result {
        try finalState(crashes: [], in: try CLI.tempDir("kill-ref"))
    }

    @Test func referenceRunReportsFindings() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus) else { return }
        let ref = try Self.reference.get()
        #expect(ref.findings.split(separator: "\n").count > 10)
        #expect(ref.state.contains("\"ledger\""))
    }

    // 6 batches of 300 files (3 learning, 3 alerting), then the run's findings transaction as step 7.
    @Test(arguments: [
        ["AGENTTRAIL_TEST_CRASH_IN_BATCH": "1"],          // killed before the first commit (0 batches)
        ["AGENTTRAIL_TEST_CRASH_AFTER_BATCHES": "1"],     // after 1 batch committed
        ["AGENTTRAIL_TEST_CRASH_IN_BATCH": "4"],          // inside the first alerting batch's transaction
        ["AGENTTRAIL_TEST_CRASH_AFTER_BATCHES": "5"],     // 2 alerting batches committed: read again for the findings
        ["AGENTTRAIL_TEST_CRASH_AFTER_BATCHES": "7"],     // findings recorded, report not written
    ])
    func killedRunThenRerunEqualsUninterrupted(_ env: [String: String]) throws {
        guard FileManager.default.fileExists(atPath: Self.corpus) else { return }
        let ref = try Self.reference.get()
        let got = try Self.finalState(crashes: [env], in: try CLI.tempDir("kill"))
        #expect(got.findings == ref.findings)
        #expect(got.state == ref.state)
    }

    @Test func twoCrashesInARowThenRerun() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus) else { return }
        let ref = try Self.reference.get()
        // After 2 batches; the resumed run's 4 remaining batches commit, then it is killed inside its findings
        // transaction (step 5); the next reads all files again for the findings, records them and is killed
        // before its report (step 1); the last one only reports.
        let got = try Self.finalState(crashes: [["AGENTTRAIL_TEST_CRASH_AFTER_BATCHES": "2"], ["AGENTTRAIL_TEST_CRASH_IN_BATCH": "5"],
                                                ["AGENTTRAIL_TEST_CRASH_AFTER_BATCHES": "1"]],
                                      in: try CLI.tempDir("kill2"))
        #expect(got.findings == ref.findings)
        #expect(got.state == ref.state)
    }

    /// A real external SIGKILL while the run is parked right after a commit, and a concurrent second run
    /// meanwhile: the second fails clearly (exit 1) and changes nothing.
    @Test func externalKillAndConcurrentRun() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus) else { return }
        let ref = try Self.reference.get()
        let dir = try CLI.tempDir("kill-ext")
        let db = dir.appendingPathComponent("state.sqlite").path
        let first = try CLI.start(Self.scanArgs(db), env: ["AGENTTRAIL_TEST_PAUSE_AFTER_BATCHES": "1"])
        #expect(CLI.waitForStderr(first, containing: "paused after 1 batch"))
        let second = try CLI.run(Self.scanArgs(db))
        #expect(second.status == 1)
        #expect(second.stderr.contains("in use by another agenttrail run"))
        #expect(second.stdout.isEmpty)
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(first.process.terminationReason == .uncaughtSignal)
        let final = try CLI.run(Self.scanArgs(db))
        #expect(final.status == 0, "\(final.stderr)")
        #expect(final.stdout == ref.findings)
        let state = try CLI.run(["state", "export", "--state", db, "--ledger", "--findings"])
        #expect(state.stdout == ref.state)
    }
}
