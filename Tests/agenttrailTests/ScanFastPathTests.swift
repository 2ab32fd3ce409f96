import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// The scan's shortcuts give the same answers as the full pipeline: records counted from their peeked fields
/// (out of scope, or `--summary-only`) match decoded ones, and `countRecords` sees every record slot.
@Suite(.serialized) struct ScanFastPathTests {
    static func options(jobs: Int, config: AgentTrailConfig, detectors: Bool) throws -> ScanOptions {
        var options = ScanOptions(paths: [TestPaths.sampleLogs], jobs: jobs, decompressor: .auto,
                                  now: Instant(year: 2025, month: 7, day: 1)!)
        options.context = AnalysisContext(config: config)
        options.detectors = detectors ? DetectorRegistry.all() : []
        return options
    }

    static func comparable(_ s: ScanSummary) -> String {
        var s = s
        s.seconds = 0
        s.jobs = 0
        return s.json.serialized()
    }

    @Test(arguments: [(1, false), (2, false), (1, true), (2, true)])
    func summaryOnlyMatchesFullScan(jobs: Int, sampleConfig: Bool) throws {
        let config = sampleConfig ? try AgentTrailConfig.load(path: TestPaths.sampleLogs + "/agenttrail.yml") : AgentTrailConfig()
        let full = ScanRun.run(try Self.options(jobs: jobs, config: config, detectors: true))
        let summaryOnly = ScanRun.run(try Self.options(jobs: jobs, config: config, detectors: false))
        #expect(full.summary.recordsTotal > 0)
        #expect(full.summary.recordsAnalysed > 0)
        #expect(full.summary.recordsAnalysed < full.summary.recordsTotal)
        #expect(Self.comparable(full.summary) == Self.comparable(summaryOnly.summary))
        let a = try #require(full.facts), b = try #require(summaryOnly.facts)
        #expect(a.firstEvent == b.firstEvent)
        #expect(a.lastEvent == b.lastEvent)
        #expect(a.agentRoles == b.agentRoles)
        #expect(a.bedrockPrincipals == b.bedrockPrincipals)
    }

    @Test func countRecordsSeesEveryRecordSlot() throws {
        let options = try Self.options(jobs: 2, config: AgentTrailConfig(), detectors: false)
        let summary = ScanRun.run(options).summary
        let count = ScanRun.countRecords(options)
        #expect(count.filesRead == summary.filesRead + summary.skippedNotCloudTrail.count)
        #expect(count.uncompressedBytes >= summary.uncompressedBytes)
        #expect(count.records == summary.recordsTotal + summary.recordsMalformed + summary.recordsOutOfRange
                + summary.skippedNotCloudTrail.count)
    }
}
