import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// SampleLogs, goldens and a review run shared by the review tests.
enum ReviewFixtures {
    static let sampleLogs = TestPaths.sampleLogs
    /// Fixed "now" so suppression expiry does not change the goldens over time.
    static let now = Instant(year: 2025, month: 7, day: 1)!

    /// Options and loaded policies for SampleLogs with its config.
    static func sampleOptions(jobs: Int = 2) throws -> (ScanOptions, PolicyContextLoader.Loaded) {
        let config = try AgentTrailConfig.load(path: sampleLogs + "/agenttrail.yml")
        let loaded = try PolicyContextLoader.load(paths: [sampleLogs + "/policies"], config: config)
        var options = ScanOptions(paths: [sampleLogs + "/AWSLogs"], jobs: jobs, now: now)
        options.context = AnalysisContext(config: config, policies: loaded.info)
        return (options, loaded)
    }

    /// The access review of SampleLogs (computed once).
    static let sampleReport: Result<AccessReport, Error> = Result {
        let (options, loaded) = try sampleOptions()
        return AccessReview.run(options, loaded: loaded)
    }

    /// Compares `text` with a golden file; with `UPDATE_GOLDEN=1` rewrites it instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.expect(text, name, sourceLocation: sourceLocation)
    }
}
