import AgentTrail
import AgentTrailTestSupport
import Foundation
import Testing
@testable import agenttrail

/// `EarlyStart`: which command lines start loading the IAM catalogue before ArgumentParser reads them, and that such
/// a run gives what a run without it gives.
@Suite struct EarlyStartTests {
    /// What `catalogueJobs` answers for a command line (the program name first); `defaultJobs` stands for the machine's.
    static let defaultJobs = ScanOptions.defaultJobs
    static let lines: [([String], Int?)] = [
        (["scan", "--policies", "p", "logs"], defaultJobs > 1 ? defaultJobs : nil),
        (["scan", "--policies=p", "--jobs", "3", "logs"], 3),
        (["scan", "--jobs=4", "--policies", "p", "logs"], 4),
        (["review", "logs", "--policies", "p", "--jobs", "2"], 2),
        (["scan", "--policies", "p", "--jobs", "1", "logs"], nil),  // (one job: one thread throughout)
        (["scan", "--jobs=1", "--policies", "p", "logs"], nil),
        (["scan", "logs"], nil),  // (no policies: no catalogue)
        (["scan", "--jobs", "2", "--", "--policies"], nil),  // (after `--`, a path)
        (["lint", "--policies", "p"], nil),  // (not a command that takes --policies)
        (["events", "--policies", "p", "--jobs", "2"], nil),
        ([], nil),
    ]

    @Test(arguments: lines)
    func startsOnlyForAScanOrReviewWithPoliciesOnSeveralThreads(words: [String], jobs: Int?) {
        #expect(EarlyStart.catalogueJobs(["agenttrail"] + words) == jobs)
    }

    /// Through the binary (where `main` starts the load): a scan with policies at two jobs, started early, gives the
    /// findings and summary a one-job scan gives, which starts nothing early.
    @Test func aScanStartedEarlyGivesWhatAScanWithoutGives() throws {
        let bin = try #require(TestPaths.executable, "agenttrail binary not found next to the tests or in .build/debug")
        let policies = TestPaths.sampleLogs + "/policies"
        #expect(EarlyStart.catalogueJobs(["agenttrail", "scan", "--jobs", "2", "--policies", policies]) == 2)
        func scan(jobs: Int) throws -> NSDictionary {
            let run = try CLIRunner.run(bin, ["scan", "--jobs", "\(jobs)", "--policies", policies, "--format", "json",
                                              TestPaths.sampleLogs])
            var o = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            o["performance"] = nil
            return NSDictionary(dictionary: o)
        }
        let early = try scan(jobs: 2), plain = try scan(jobs: 1)
        #expect((early["findings"] as? [Any])?.isEmpty == false)
        #expect(early.isEqual(to: plain as! [AnyHashable: Any]))
    }
}
