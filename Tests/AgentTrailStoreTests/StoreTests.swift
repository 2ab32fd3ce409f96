import AgentTrail
import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrailStore
import GRDB

private func tempPath(_ name: String) -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("agenttrail-store-\(UUID().uuidString)")
    return d.appendingPathComponent(name).path
}

private func finding(_ last: Int64, severity: Severity = .medium, count: Int = 1) -> Finding {
    Finding(detector: "denied-calls", severity: severity, principal: "arn:aws:iam::1:user/a", subject: ["action": "x"],
            firstSeen: Instant(millisecondsSince1970: last - 1000), lastSeen: Instant(millisecondsSince1970: last), count: count,
            message: Finding.Message(title: "t", recommendation: "r"))
}

private func batch(_ kept: [Finding], collected: CollectedBaselines = CollectedBaselines()) -> BatchCommit {
    BatchCommit(files: [], collected: collected, failed: [], kept: kept, suppressed: [], learning: false, learningEnd: nil)
}

@Test func schemaVersionIsPositive() { #expect(AgentTrailStoreInfo.schemaVersion >= 1) }

@Test func statePathResolution() {
    #expect(StateStore.resolvePath("/x.db", environment: ["AGENTTRAIL_STATE": "/y.db"]) == "/x.db")
    #expect(StateStore.resolvePath(nil, environment: ["AGENTTRAIL_STATE": "/y.db", "HOME": "/h"]) == "/y.db")
    #expect(StateStore.resolvePath(nil, environment: ["HOME": "/h"]) == "/h/.local/state/agenttrail/state.sqlite")
}

@Test func secondLockOnSameStateFails() throws {
    let path = tempPath("s.sqlite")
    let first = try StateLock(statePath: path)
    #expect(throws: StateError.self) { _ = try StateLock(statePath: path) }
    withExtendedLifetime(first) {}
}

@Test func findingsAreReportedWhenNewOrChangedOnly() throws {
    let store = try StateStore(path: tempPath("s.sqlite"))
    let run1 = try store.beginRun(now: 1)
    try store.commit(batch([finding(10_000)]), runId: run1.id, now: 1)
    try store.commit(batch([finding(20_000)]), runId: run1.id, now: 1)
    let r1 = try store.pendingFindings(runId: run1.id)
    #expect(r1.count == 1 && r1[0].activity == .create && r1[0].finding.count == 2)
    #expect(r1[0].finding.lastSeen == Instant(millisecondsSince1970: 20_000))
    try store.completeRun(run1.id, now: 2)

    let run2 = try store.beginRun(now: 3)
    #expect(run2.id != run1.id && !run2.resumed)
    try store.commit(batch([finding(15_000)]), runId: run2.id, now: 3)   // inside the known span: absorbed
    #expect(try store.pendingFindings(runId: run2.id).isEmpty)
    try store.commit(batch([finding(30_000)]), runId: run2.id, now: 3)   // later event: an update
    let r2 = try store.pendingFindings(runId: run2.id)
    #expect(r2.count == 1 && r2[0].activity == .update)
    try store.completeRun(run2.id, now: 4)
    #expect(try store.historyFindings(status: .open).first?.finding.count == 4)
}

@Test func interruptedRunIsResumed() throws {
    let path = tempPath("s.sqlite")
    let store = try StateStore(path: path)
    let run = try store.beginRun(now: 1)
    try store.commit(batch([finding(10_000)]), runId: run.id, now: 1)
    let again = try StateStore(path: path).beginRun(now: 2)
    #expect(again.id == run.id && again.resumed)
    #expect(try store.pendingFindings(runId: again.id).count == 1)
}

@Test func baselinesRoundTrip() throws {
    let store = try StateStore(path: tempPath("s.sqlite"))
    var c = CollectedBaselines()
    let p = "arn:aws:iam::1:role/R"
    let t = Instant(year: 2025, month: 6, day: 1, hour: 10)!
    c.principals[p] = .init()
    c.principals[p]!.activity.note(t)
    c.principals[p]!.vpcEndpointCalls = 6
    c.terms[.init(principal: p, kind: .ip, term: "10.1.2.3")] = .init(first: t, last: t, count: 3)
    c.terms[.init(principal: p, kind: .region, term: "eu-west-1")] = .init(first: t, last: t, count: 3)
    c.terms[.init(principal: p, kind: .model, term: "anthropic.claude")] = .init(first: t, last: t, count: 1)
    c.hourlyInvocations[.init(principal: p, hour: t.millisecondsSince1970 / 3_600_000)] = 40
    c.invocationBuckets[.init(principal: p, bucket: InvocationSpikeDetector.bucketIndex(t))] = 40
    let run = try store.beginRun(now: 1)
    try store.commit(batch([], collected: c), runId: run.id, now: 1)
    try store.commit(batch([], collected: c), runId: run.id, now: 1)
    let b = try #require(try store.loadKnowledge().baselines.baseline(for: p))
    #expect(b.knows(IPAddress("10.1.2.200")!))
    #expect(!b.knows(IPAddress("10.1.3.1")!))
    #expect(b.regions == ["eu-west-1"] && b.models == ["anthropic.claude"])
    #expect(b.alwaysUsesVPCEndpoint == true)
    #expect(b.invocationProfile == nil)   // an hour of history: no hour-of-day profile yet
    #expect(b.recentInvocations == [InvocationSpikeDetector.bucketIndex(t): 80])
    let export = try store.exportJSON().serialized()
    #expect(export.contains("\"count\":6"))   // summed over the two commits
}

@Test func ledgerSelectsNewAndChangedFiles() throws {
    let dir = try TestPaths.temporaryFolder("ledger")
    defer { TestPaths.remove(dir) }
    let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
    try "{\"Records\":[]}".write(toFile: a, atomically: false, encoding: .utf8)
    try "{\"Records\":[]}".write(toFile: b, atomically: false, encoding: .utf8)
    let store = try StateStore(path: dir.appendingPathComponent("s.sqlite").path)
    let files = [LogFile(path: a), LogFile(path: b)]
    let first = try store.selectFiles(files)
    #expect(first.toRead.count == 2 && first.unchanged == 0)
    let run = try store.beginRun(now: 1)
    var commit = batch([])
    commit.files = first.toRead
    try store.commit(commit, runId: run.id, now: 1)
    #expect(try store.selectFiles(files).unchanged == 2)
    try "{\"Records\":[ ]}".write(toFile: b, atomically: false, encoding: .utf8)   // changed size
    let third = try store.selectFiles(files)
    #expect(third.toRead.map(\.file.path) == [b] && third.unchanged == 1)
}

@Test func planSortsByDaySplitsLearningAndChunks() {
    func f(_ day: Int, _ n: Int) -> SelectedFile {
        SelectedFile(file: LogFile(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/06/\(String(format: "%02d", day))/111122223333_CloudTrail_us-east-1_202506\(String(format: "%02d", day))T0000Z_\(n).json.gz"),
                     fingerprint: FileFingerprint(size: 1, mtimeNanoseconds: 1, edgeHash: ""))
    }
    let end = Instant(year: 2025, month: 6, day: 3)!.millisecondsSince1970
    let plan = NightlyRun.plan([f(4, 1), f(1, 2), f(2, 1), f(1, 1), f(3, 1)], learningEnd: end, learnAll: false, size: 2)
    #expect(plan.map(\.learning) == [true, true, false])
    #expect(plan.map(\.files.count) == [2, 1, 2])
    #expect(plan[0].files.map { $0.file.path.suffix(9) } == ["_1.json.gz".suffix(9), "_2.json.gz".suffix(9)])
}

/// Collected baselines of `p`: `perHour(h)` invocations in every hour of `hours` (hours since 1970), in the
/// middle of the hour.
private func invocations(_ p: String, hours: Range<Int64>, perHour: (Int64) -> Int) -> CollectedBaselines {
    var c = CollectedBaselines()
    c.principals[p] = .init()
    for h in hours {
        let t = Instant(millisecondsSince1970: h * 3_600_000 + 1_800_000)
        c.principals[p]!.activity.note(t)
        let n = perHour(h)
        guard n > 0 else { continue }
        c.hourlyInvocations[.init(principal: p, hour: h)] = n
        c.invocationBuckets[.init(principal: p, bucket: InvocationSpikeDetector.bucketIndex(t))] = n
    }
    return c
}

@Test func hourOfDayProfileIsDerivedFromTheStoredHistogram() throws {
    let store = try StateStore(path: tempPath("s.sqlite"))
    let p = "arn:aws:iam::1:role/R"
    let start = Instant(year: 2025, month: 6, day: 2)!.millisecondsSince1970 / 3_600_000   // a Monday
    // Three days: 30 an hour 08–17, 2 otherwise.
    let c = invocations(p, hours: start..<(start + 72)) { (8..<18).contains(Int($0 % 24)) ? 30 : 2 }
    let run = try store.beginRun(now: 1)
    try store.commit(batch([], collected: c), runId: run.id, now: 1)
    let b = try #require(try store.loadKnowledge().baselines.baseline(for: p))
    let profile = try #require(b.invocationProfile)
    #expect(profile.firstHour == start && profile.endHour == start + 72)
    #expect(profile.usual(hourOfDay: 3, weekend: false) == 2 && profile.usual(hourOfDay: 12, weekend: false) == 30)
    #expect(profile.expectedHourly(hourOfDay: 7, weekend: false)?.count == 30)   // next to the busy 08:00
    #expect(b.activeHoursOfDay == nil)   // fewer than 7 days: no "never active" hours
    // The last two days of 5-minute buckets are kept for windows that straddle runs (older ones are dropped when a run completes).
    try store.completeRun(run.id, now: 2)
    let recent = try #require(try store.loadKnowledge().baselines.baseline(for: p)).recentInvocations
    let lastBucket = InvocationSpikeDetector.bucketIndex(Instant(millisecondsSince1970: (start + 71) * 3_600_000 + 1_800_000))
    #expect(recent.keys.min()! >= lastBucket - 2 * 24 * 12 && recent.keys.max() == lastBucket)
    #expect(recent.count == 49 && recent[lastBucket] == 2)   // the hours start+23 … start+71 (the cut is inclusive)
}

@Test func alertingBaselinesWaitUntilTheRunCompletes() throws {
    let store = try StateStore(path: tempPath("s.sqlite"))
    let p = "arn:aws:iam::1:role/R"
    let start = Instant(year: 2025, month: 6, day: 2)!.millisecondsSince1970 / 3_600_000
    let run = try store.beginRun(now: 1)
    try store.commit(batch([], collected: invocations(p, hours: start..<(start + 48)) { _ in 4 }), runId: run.id, now: 1)
    var c = invocations(p, hours: (start + 48)..<(start + 50)) { _ in 400 }
    c.terms[.init(principal: p, kind: .ip, term: "198.51.100.7")] = .init(first: nil, last: nil, count: 1)
    c.agentRoles = ["arn:aws:iam::1:role/Agent"]
    var staged = batch([], collected: c)
    staged.stagesBaselines = true
    try store.commit(staged, runId: run.id, now: 1)
    // Judged against the baselines from before the run's alerting files, however many batches it takes.
    let during = try store.loadKnowledge()
    #expect(during.baselines.baseline(for: p)?.invocationProfile?.endHour == start + 48)
    #expect(during.baselines.baseline(for: p)?.knows(IPAddress("198.51.100.7")!) == false)
    #expect(during.agentRoles.isEmpty)
    try store.recordRunFindings(kept: [finding(10_000)], suppressed: [], runId: run.id, now: 1)
    #expect(try store.progress(ofRun: run.id).findingsRecorded)
    try store.completeRun(run.id, now: 2)
    let after = try store.loadKnowledge()
    #expect(after.baselines.baseline(for: p)?.invocationProfile?.usual(hourOfDay: Int((start + 48) % 24), weekend: false) == 136)
    #expect(after.baselines.baseline(for: p)?.knows(IPAddress("198.51.100.7")!) == true)
    #expect(after.agentRoles == ["arn:aws:iam::1:role/Agent"])
    #expect(try store.exportJSON().serialized().contains("\"recentInvocations\""))
}

@Test func stateFileOfTheFirstSchemaIsMigrated() throws {
    let path = tempPath("v1.sqlite")
    try StateStore.makeParentDirectory(of: path)
    do {
        let v1 = try DatabaseQueue(path: path)
        try StateSchema.migrator.migrate(v1, upTo: "v1")
        try v1.write { db in
            try db.execute(sql: "INSERT INTO run(id, started_at) VALUES (1, 1)")   // interrupted under v1
            try db.execute(sql: "INSERT INTO run_finding(run_id, key, activity, body) VALUES (1, 'k', 'create', '{}')")
            try db.execute(sql: """
                INSERT INTO principal(principal, first_seen, last_seen, records, vpc_endpoint_calls, direct_calls, agent_role, uses_bedrock)
                VALUES ('arn:aws:iam::1:role/R', 0, 86400000, 10, 0, 0, 0, 1)
                """)
            for h in 0..<25 { try db.execute(sql: "INSERT INTO baseline_hour(principal, hour, count) VALUES ('arn:aws:iam::1:role/R', ?, 3)", arguments: [h]) }
        }
    }
    let store = try StateStore(path: path)
    #expect(try store.overview().schemaVersion == 3)
    // Its findings were recorded batch by batch: it is resumed only to report them.
    let resumed = try store.beginRun(now: 2)
    #expect(resumed.id == 1 && resumed.resumed)
    #expect(try store.progress(ofRun: 1).findingsRecorded)
    let b = try #require(try store.loadKnowledge().baselines.baseline(for: "arn:aws:iam::1:role/R"))
    #expect(b.invocationProfile?.usual(hourOfDay: 5, weekend: false) == 3)
}

/// Schema 3: the shard a state file belongs to. A schema-2 file opens (migrated, unsharded): its unsharded history
/// refuses a shard; a fresh file records the first spec and refuses any other, and an unsharded run, naming itself.
@Test func shardSpecIsRecordedOnceAndCheckedOnEveryRun() throws {
    let old = tempPath("v2.sqlite")
    try StateStore.makeParentDirectory(of: old)
    do {
        let v2 = try DatabaseQueue(path: old)
        try StateSchema.migrator.migrate(v2, upTo: "v2")
        try v2.write { db in try db.execute(sql: "INSERT INTO run(id, started_at, completed_at) VALUES (1, 1, 2)") }
    }
    // Read-only (no migration), `state show` sees an unsharded file.
    #expect(try StateStore(path: old, readOnly: true).overview().shard == nil)
    let migrated = try StateStore(path: old)
    #expect(try migrated.shardSpec() == nil)
    try migrated.claimShard(nil)
    let spec = StateShardSpec(index: 1, count: 3, unit: "account")
    #expect(throws: StateError.self) { try migrated.claimShard(spec) }
    do { try migrated.claimShard(spec) } catch let e as StateError {
        #expect(e.code == .shardMismatch && e.message.contains(old) && e.message.contains("belongs to unsharded; this run is shard 1/3 by account"))
    }

    let fresh = try StateStore(path: tempPath("fresh.sqlite"))
    try fresh.claimShard(spec)
    try fresh.claimShard(spec)
    #expect(try fresh.shardSpec() == spec && fresh.overview().shard == spec)
    for other in [StateShardSpec(index: 0, count: 3, unit: "account"), StateShardSpec(index: 1, count: 4, unit: "account"), nil] {
        do {
            try fresh.claimShard(other)
            Issue.record("\(StateShardSpec.describe(other)) accepted on a state file of \(spec)")
        } catch let e as StateError {
            #expect(e.code == .shardMismatch && e.message.contains(fresh.path)
                    && e.message.contains("belongs to shard 1/3 by account; this run is \(StateShardSpec.describe(other))"))
        }
    }
}
