import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// At several jobs a scan merges its workers' accumulators and derives the principals' grants on the same threads
/// (`ScanRun.mergeAndDerive`). Workers made and fed here by hand, so that each really holds part of the archive (in
/// a scan, one worker may read every file of a small archive while the other waits for a thread): the merge gives the
/// findings of one worker that read everything, and every principal's grants are made by its end.
@Suite struct MergeAndDeriveTests {
    static func options(jobs: Int) throws -> ScanOptions {
        let config = try AgentTrailConfig.load(path: TestPaths.sampleLogs + "/agenttrail.yml")
        let policies = try PolicyContextLoader.load(paths: [TestPaths.sampleLogs + "/policies"], config: config)
        var options = ScanOptions(paths: [TestPaths.sampleLogs], jobs: jobs, now: Instant(year: 2025, month: 7, day: 1)!)
        options.context = AnalysisContext(config: config, policies: policies.info)
        options.detectors = DetectorRegistry.all() + DetectorRegistry.policyDetectors(policies)
        return options
    }

    static func findings(_ worker: WorkerState, _ options: ScanOptions) -> [Finding] {
        let state = ScanState(summary: worker.box.summary, accumulators: worker.accumulators, agentRoles: worker.agentRoles,
                              bedrockPrincipals: worker.bedrockPrincipals, analysedFirst: worker.analysedFirst,
                              analysedLast: worker.analysedLast)
        return ScanRun.findings(state, options).findings
    }

    @Test(arguments: [2, 3])
    func sameFindingsAsOneWorkerWithTheGrantsMadeWhileMerging(workers count: Int) throws {
        let files = ArchiveWalker(filter: ScanOptions(paths: []).filter).walk([TestPaths.sampleLogs]).files
        #expect(files.count > 100)

        let whole = try Self.options(jobs: 1)
        let one = WorkerState(options: whole)
        for f in files { _ = one.process(f) }
        let reference = Self.findings(one, whole)
        #expect(reference.contains { $0.detector == "unused-granted-action" }, "the policies' findings are compared too")

        let options = try Self.options(jobs: count)
        let toDerive = options.context.policies.values.filter { $0.derivationCost > 0 }.count
        #expect(toDerive > 1)
        // The files dealt in turn, so that every worker's accumulators hold some of every kind of record.
        let workers = (0..<count).map { _ in WorkerState(options: options) }
        for (i, f) in files.enumerated() { _ = workers[i % count].process(f) }
        #expect(workers.allSatisfy { $0.box.summary.recordsAnalysed > 0 })
        ScanRun.mergeAndDerive(into: workers[0], workers.dropFirst(), context: options.context, jobs: count)
        #expect(options.context.policies.values.allSatisfy { $0.derivationCost == 0 }, "derived while merging")
        #expect(workers[0].box.summary.recordsAnalysed == one.box.summary.recordsAnalysed)
        let merged = Self.findings(workers[0], options)
        let same = merged == reference  // (compared apart: a failed `#expect(a == b)` prints both lists whole)
        #expect(same, "\(merged.count) findings merged, \(reference.count) from one worker")
    }
}
