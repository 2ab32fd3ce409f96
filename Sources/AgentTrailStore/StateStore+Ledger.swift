import AgentTrail
import GRDB

/// One processed file in the ledger.
public struct LedgerEntry: Sendable, Hashable {
    public var path: String
    public var fingerprint: FileFingerprint
    /// Unix seconds (wall clock) of the commit.
    public var processedAt: Double
    /// Analysed records of the file.
    public var records: Int
    /// True when reading it failed (it is re-read only if it changes).
    public var failed: Bool
    /// True when it was read as learning (baselines only).
    public var learning: Bool
    public var runId: Int64
}

/// A file to read in a nightly run, with its fingerprint for the ledger.
public struct SelectedFile: Sendable, Hashable {
    public var file: LogFile
    public var fingerprint: FileFingerprint
}

extension StateStore {
    /// Every ledger entry by path.
    public func ledger() throws -> [String: LedgerEntry] {
        try db.read { db in
            var out: [String: LedgerEntry] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM processed_file") {
                let e = LedgerEntry(
                    path: r["path"], fingerprint: FileFingerprint(size: r["size"], mtimeNanoseconds: r["mtime_ns"], edgeHash: r["edge_hash"]),
                    processedAt: r["processed_at"], records: r["records"], failed: r["failed"], learning: r["learning"], runId: r["run_id"])
                out[e.path] = e
            }
            return out
        }
    }

    /// Splits walked files into those to read — not in the ledger, or whose size differs, or whose mtime
    /// differs and whose first/last KiB hash differs too — and the count of unchanged ones.
    public func selectFiles(_ files: [LogFile]) throws -> (toRead: [SelectedFile], unchanged: Int) {
        let known = try ledger()
        var toRead: [SelectedFile] = []
        var unchanged = 0
        for file in files {
            if file.isStandardInput { throw StateError(.invalid, "standard input (-) cannot be used with a state file") }
            guard var now = FileFingerprint.stat(path: file.path) else {
                toRead.append(SelectedFile(file: file, fingerprint: FileFingerprint(size: file.size, mtimeNanoseconds: 0, edgeHash: "")))
                continue
            }
            if let old = known[file.path]?.fingerprint, old.size == now.size {
                if old.mtimeNanoseconds == now.mtimeNanoseconds { unchanged += 1; continue }
                now.edgeHash = FileFingerprint.edgeHash(path: file.path, size: now.size) ?? ""
                if now.edgeHash == old.edgeHash { unchanged += 1; continue }
            } else {
                now.edgeHash = FileFingerprint.edgeHash(path: file.path, size: now.size) ?? ""
            }
            toRead.append(SelectedFile(file: file, fingerprint: now))
        }
        return (toRead, unchanged)
    }

    func insertLedger(_ db: Database, _ files: [SelectedFile], records: [String: Int], failed: Set<String>,
                      learning: Bool, runId: Int64, now: Double) throws {
        for f in files {
            try db.execute(sql: """
                INSERT OR REPLACE INTO processed_file(path, size, mtime_ns, edge_hash, processed_at, records, failed, learning, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [f.file.path, f.fingerprint.size, f.fingerprint.mtimeNanoseconds, f.fingerprint.edgeHash, now,
                                 records[f.file.path] ?? 0, failed.contains(f.file.path), learning, runId])
        }
    }
}
