import AgentTrail
import GRDB

extension StateStore {
    /// What `prune` removed.
    public struct PruneResult: Sendable, Hashable {
        public var principals = 0
        public var terms = 0
        public var hours = 0
        public var findings = 0
        public var ledgerEntries = 0
        public var runs = 0
    }

    /// Removes history older than `days` before the latest stored event: baseline terms and hours last seen
    /// before then, principals with no activity since, resolved or suppressed findings last seen before then,
    /// completed runs; and ledger entries of files no longer on disk (entries of files still present are kept,
    /// or the next run would read them again). One transaction.
    public func prune(olderThanDays days: Int, fileExists: (String) -> Bool) throws -> PruneResult {
        try db.write { db in
            var r = PruneResult()
            guard let end = try Int64.fetchOne(db, sql: "SELECT max(last_seen) FROM principal") else { return r }
            let cutoff = end - Int64(days) * 86_400_000
            try db.execute(sql: "DELETE FROM baseline_term WHERE last_seen < ?", arguments: [cutoff])
            r.terms = db.changesCount
            try db.execute(sql: "DELETE FROM baseline_hour WHERE hour < ?", arguments: [cutoff / 3_600_000])
            r.hours = db.changesCount
            try db.execute(sql: "DELETE FROM principal WHERE last_seen < ?", arguments: [cutoff])
            r.principals = db.changesCount
            try db.execute(sql: "DELETE FROM baseline_term WHERE principal NOT IN (SELECT principal FROM principal)")
            r.terms += db.changesCount
            try db.execute(sql: "DELETE FROM baseline_hour WHERE principal NOT IN (SELECT principal FROM principal)")
            r.hours += db.changesCount
            try db.execute(sql: "DELETE FROM recent_bucket WHERE bucket < ? OR principal NOT IN (SELECT principal FROM principal)",
                           arguments: [cutoff / InvocationSpikeDetector.bucketMs])
            try db.execute(sql: "DELETE FROM finding WHERE status IN ('resolved', 'suppressed') AND last_seen < ?", arguments: [cutoff])
            r.findings = db.changesCount
            try db.execute(sql: "DELETE FROM run WHERE completed_at IS NOT NULL AND id NOT IN (SELECT max(id) FROM run)")
            r.runs = db.changesCount
            for path in try String.fetchAll(db, sql: "SELECT path FROM processed_file") where !fileExists(path) {
                try db.execute(sql: "DELETE FROM processed_file WHERE path = ?", arguments: [path])
                r.ledgerEntries += 1
            }
            return r
        }
    }
}
