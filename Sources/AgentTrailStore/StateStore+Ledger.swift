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
    /// Every ledger entry by path; `expected`: about how many there are (room is made for them at once).
    public func ledger(expected: Int = 0) throws -> [String: LedgerEntry] {
        try db.read { db in
            var out: [String: LedgerEntry] = [:]
            out.reserveCapacity(expected)
            // (Columns by position, through a cursor: the unchanged nightly re-run reads every row.)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT path, size, mtime_ns, edge_hash, processed_at, records, failed, learning, run_id FROM processed_file
                """)
            while let r = try rows.next() {
                let e = LedgerEntry(
                    path: r[0], fingerprint: FileFingerprint(size: r[1], mtimeNanoseconds: r[2], edgeHash: r[3]),
                    processedAt: r[4], records: r[5], failed: r[6], learning: r[7], runId: r[8])
                out[e.path] = e
            }
            return out
        }
    }

    /// Splits walked files into those to read — not in the ledger, or whose size differs, or whose mtime
    /// differs and whose first/last KiB hash differs too — and the count of unchanged ones.
    public func selectFiles(_ files: [LogFile]) throws -> (toRead: [SelectedFile], unchanged: Int) {
        // (An archive's ledger has about as many entries as the walk has files: room for them at once.)
        let known = try ledger(expected: files.count)
        var toRead: [SelectedFile] = []
        var unchanged = 0
        for file in files {
            if file.isStandardInput { throw StateError(.invalid, "standard input (-) cannot be used with a state file") }
            // (The walk's own stat gives size and mtime; stat again only for files given without one.)
            let walked = file.modifiedNanoseconds.map { FileFingerprint(size: file.size, mtimeNanoseconds: $0, edgeHash: "") }
            guard var now = walked ?? FileFingerprint.stat(path: file.path) else {
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
