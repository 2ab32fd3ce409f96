import AgentTrail
import GRDB

/// One batch's outcome, committed atomically.
public struct BatchCommit: Sendable {
    public var files: [SelectedFile]
    public var collected: CollectedBaselines
    /// Paths whose reading failed.
    public var failed: Set<String>
    /// Findings to report and findings silenced by a suppression.
    public var kept: [Finding]
    public var suppressed: [Finding]
    /// A learning batch (baseline detectors' findings were dropped).
    public var learning: Bool
    /// The learning cut-off to persist when none is stored yet (ms; nil: no learning period).
    public var learningEnd: Int64?
    /// True for a run's alerting files: their baselines wait in the pending tables until the run completes, so
    /// every file of the run is judged against the baselines from before it (whatever the batch size).
    public var stagesBaselines = false

    public init(files: [SelectedFile], collected: CollectedBaselines, failed: Set<String>, kept: [Finding], suppressed: [Finding],
                learning: Bool, learningEnd: Int64?, stagesBaselines: Bool = false) {
        self.files = files
        self.collected = collected
        self.failed = failed
        self.kept = kept
        self.suppressed = suppressed
        self.learning = learning
        self.learningEnd = learningEnd
        self.stagesBaselines = stagesBaselines
    }
}

/// How far an unfinished run got: the files it committed and whether its findings are recorded.
public struct RunProgress: Sendable {
    /// The run's findings were recorded (only its report and completion are left).
    public var findingsRecorded: Bool
    /// Files committed by the run (ledger rows with its id), with whether they were read as learning.
    public var committed: [(file: LogFile, learning: Bool)]
}

extension StateStore {
    /// The unfinished run to resume (its pending findings are still unreported), or a new run.
    public func beginRun(now: Double) throws -> (id: Int64, resumed: Bool) {
        try db.write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM run WHERE completed_at IS NULL ORDER BY id LIMIT 1") {
                return (id, true)
            }
            try db.execute(sql: "INSERT INTO run(started_at) VALUES (?)", arguments: [now])
            return (db.lastInsertedRowID, false)
        }
    }

    /// True when a run was begun and not completed (killed, or stopped by an error): the next run resumes it and may
    /// read again the files it committed.
    public func hasUnfinishedRun() throws -> Bool {
        try db.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM run WHERE completed_at IS NULL)") ?? false }
    }

    /// The rule files' fingerprint (`RuleFilesFingerprint`) recorded when they last loaded without error; nil when
    /// none was recorded.
    public func ruleFilesChecked() throws -> String? {
        try db.read { db in try meta(db, "rule_files_checked") }
    }

    /// Records that the rule files with this fingerprint loaded without error (a run that reads no log file then
    /// need not load them again while the fingerprint stays the same).
    public func recordRuleFilesChecked(_ fingerprint: String) throws {
        try db.write { db in try setMeta(db, "rule_files_checked", fingerprint) }
    }

    /// The stored learning cut-off: `.some(nil)` when it was decided that there is none, nil when undecided.
    public func learningEnd() throws -> Int64?? {
        try db.read { db in
            guard let v = try meta(db, "learning_end") else { return nil }
            return .some(Int64(v))
        }
    }

    /// Commits one batch in a single transaction: ledger rows, baseline merge, findings history and the run's
    /// pending findings. `insideTransaction` runs after every write and before the commit (crash tests).
    public func commit(_ batch: BatchCommit, runId: Int64, now: Double, insideTransaction: (() -> Void)? = nil) throws {
        try db.write { db in
            if try meta(db, "learning_end") == nil {
                try setMeta(db, "learning_end", batch.learningEnd.map(String.init) ?? "none")
            }
            try insertLedger(db, batch.files, records: batch.collected.recordsByFile, failed: batch.failed,
                             learning: batch.learning, runId: runId, now: now)
            try mergeBaselines(db, batch.collected, into: batch.stagesBaselines ? .pending : .stored)
            try recordFindings(db, kept: batch.kept, suppressed: batch.suppressed, runId: runId, now: now)
            try db.execute(sql: "UPDATE run SET batches = batches + 1, files = files + ? WHERE id = ?", arguments: [batch.files.count, runId])
            insideTransaction?()
        }
    }

    /// What run `runId` already did (for a resumed run).
    public func progress(ofRun runId: Int64) throws -> RunProgress {
        try db.read { db in
            let recorded = try Bool.fetchOne(db, sql: "SELECT findings_recorded FROM run WHERE id = ?", arguments: [runId]) ?? false
            let rows = try Row.fetchAll(db, sql: "SELECT path, size, learning FROM processed_file WHERE run_id = ? ORDER BY path",
                                        arguments: [runId])
            return RunProgress(findingsRecorded: recorded,
                               committed: rows.map { (LogFile(path: $0[0], size: $0[1]), $0[2]) })
        }
    }

    /// Records the findings of a whole run (history and pending report) in one transaction and marks them
    /// recorded, so a resumed run does not record them again. `insideTransaction` runs before the commit.
    public func recordRunFindings(kept: [Finding], suppressed: [Finding], runId: Int64, now: Double,
                                  insideTransaction: (() -> Void)? = nil) throws {
        try db.write { db in
            try recordFindings(db, kept: kept, suppressed: suppressed, runId: runId, now: now)
            try db.execute(sql: "UPDATE run SET findings_recorded = 1 WHERE id = ?", arguments: [runId])
            insideTransaction?()
        }
    }

    /// Ends a run after its report was written: moves the baselines of its alerting files from the pending tables
    /// into the stored ones, drops its pending findings and resolves open findings whose last event is
    /// `resolveAfterDays` older than the history's end. A run killed before this is resumed (and its findings
    /// reported again) by the next run: reports are at-least-once.
    public func completeRun(_ runId: Int64, now: Double) throws {
        try db.write { db in
            try promotePendingBaselines(db)
            try db.execute(sql: "DELETE FROM run_finding WHERE run_id = ?", arguments: [runId])
            try db.execute(sql: "UPDATE run SET completed_at = ? WHERE id = ?", arguments: [now, runId])
            if let end = try Int64.fetchOne(db, sql: "SELECT max(last_seen) FROM principal") {
                try db.execute(sql: "UPDATE finding SET status = 'resolved' WHERE status = 'open' AND last_seen < ?",
                               arguments: [end - StateStore.resolveAfterDays * 86_400_000])
            }
        }
    }
}
