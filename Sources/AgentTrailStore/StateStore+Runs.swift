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
            try mergeBaselines(db, batch.collected)
            try recordFindings(db, kept: batch.kept, suppressed: batch.suppressed, runId: runId, now: now)
            try db.execute(sql: "UPDATE run SET batches = batches + 1, files = files + ? WHERE id = ?", arguments: [batch.files.count, runId])
            insideTransaction?()
        }
    }

    /// Ends a run after its report was written: drops its pending findings and resolves open findings whose
    /// last event is `resolveAfterDays` older than the history's end. A run killed before this is resumed
    /// (and its findings reported again) by the next run: reports are at-least-once.
    public func completeRun(_ runId: Int64, now: Double) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM run_finding WHERE run_id = ?", arguments: [runId])
            try db.execute(sql: "UPDATE run SET completed_at = ? WHERE id = ?", arguments: [now, runId])
            if let end = try Int64.fetchOne(db, sql: "SELECT max(last_seen) FROM principal") {
                try db.execute(sql: "UPDATE finding SET status = 'resolved' WHERE status = 'open' AND last_seen < ?",
                               arguments: [end - StateStore.resolveAfterDays * 86_400_000])
            }
        }
    }
}
