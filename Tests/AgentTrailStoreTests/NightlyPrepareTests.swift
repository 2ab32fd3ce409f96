import AgentTrail
import AgentTrailTestSupport
import Foundation
import Synchronization
import Testing
@testable import AgentTrailStore

/// `NightlyOptions.prepare`: told before the run begins whether it reads any file; its error stops the run before
/// anything is written.
@Suite struct NightlyPrepareTests {
    struct Refused: Error {}

    @Test func toldWhetherTheRunReadsAndStoppedByItsError() throws {
        let dir = try TestPaths.temporaryFolder("nightly-prepare").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let logs = dir + "/logs"
        try FileManager.default.copyItem(atPath: TestPaths.sampleLogs, toPath: logs)
        let store = try StateStore(path: dir + "/state.sqlite")
        let told = Mutex<[Bool]>([])
        var options = NightlyOptions(scan: ScanOptions(paths: [logs], jobs: 1)) { DetectorRegistry.all(storedBaselines: $0) }
        options.prepare = { reading in told.withLock { $0.append(reading) } }

        // First run: every file is new.
        let first = try NightlyRun.run(store: store, options: options)
        try store.completeRun(first.runId, now: 1)
        #expect(first.filesRead > 0)
        // Unchanged: nothing to read.
        let second = try NightlyRun.run(store: store, options: options)
        try store.completeRun(second.runId, now: 2)
        #expect(second.filesRead == 0)
        #expect(told.withLock { $0 } == [true, false])

        // A refusing `prepare` ends the run before it begins: no run row, no ledger change.
        var refusing = options
        refusing.prepare = { _ in throw Refused() }
        #expect(throws: StateError.self) { _ = try NightlyRun.run(store: store, options: refusing) }
        #expect(try !store.hasUnfinishedRun())
        // An unfinished run (begun, never completed) counts as reading: it is resumed and may read again.
        _ = try store.beginRun(now: 3)
        #expect(try store.hasUnfinishedRun())
        let resumed = try NightlyRun.run(store: store, options: options)
        #expect(resumed.resumed)
        #expect(told.withLock { $0 } == [true, false, true])
    }

    @Test func ruleFilesCheckedIsKeptPerStateFile() throws {
        let dir = try TestPaths.temporaryFolder("nightly-rule-files").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(path: dir + "/state.sqlite")
        #expect(try store.ruleFilesChecked() == nil)
        try store.recordRuleFilesChecked("a\t1\n")
        try store.recordRuleFilesChecked("b\t2\n")
        #expect(try StateStore(path: dir + "/state.sqlite").ruleFilesChecked() == "b\t2\n")
    }
}
