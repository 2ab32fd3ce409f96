import AgentTrail
import GRDB

/// Whether a reported finding is new or an update of one reported by an earlier run (OCSF activity).
public enum FindingActivity: String, Sendable, Hashable {
    /// First report (or reopened after it was resolved or suppressed).
    case create
    /// Reported before and changed since: new events later/earlier than known, or a higher severity.
    case update
}

/// A finding's lifecycle in the history.
public enum FindingStatus: String, Sendable, Hashable, CaseIterable {
    case open, suppressed, resolved
}

/// A finding to report, with whether it is new.
public struct ReportedFinding: Sendable {
    public var finding: Finding
    public var activity: FindingActivity
    public var status: FindingStatus
}

extension StateStore {
    /// Open findings whose last event is older than this (relative to the history's end) become resolved.
    public static let resolveAfterDays: Int64 = 30

    /// Records a batch's findings in the history and the run's pending report.
    func recordFindings(_ db: Database, kept: [Finding], suppressed: [Finding], runId: Int64, now: Double) throws {
        for f in kept {
            let key = f.key
            let row = try Row.fetchOne(db, sql: "SELECT status, first_seen, last_seen, severity, body FROM finding WHERE key = ?", arguments: [key])
            let pending = try Row.fetchOne(db, sql: "SELECT activity, body FROM run_finding WHERE run_id = ? AND key = ?", arguments: [runId, key])
            let stored = try row.map { try StoredFinding.decode($0["body"]) }
            let status = row.map { FindingStatus(rawValue: $0["status"]) ?? .open }
            let reopened = row == nil || status != .open
            if let pending {
                let body = try StoredFinding.decode(pending["body"]).merged(with: f)
                try db.execute(sql: "UPDATE run_finding SET body = ? WHERE run_id = ? AND key = ?",
                               arguments: [try StoredFinding.encode(body), runId, key])
            } else if reopened || isChange(f, of: stored!) {
                try db.execute(sql: "INSERT INTO run_finding(run_id, key, activity, body) VALUES (?, ?, ?, ?)",
                               arguments: [runId, key, (reopened ? FindingActivity.create : .update).rawValue, try StoredFinding.encode(f)])
            }
            let body = reopened ? f : stored!.merged(with: f)
            try upsert(db, key: key, body: body, status: .open, reopened: reopened, reported: pending != nil || reopened || isChange(f, of: stored!),
                       runId: runId, now: now)
        }
        for f in suppressed {
            let row = try Row.fetchOne(db, sql: "SELECT body FROM finding WHERE key = ?", arguments: [f.key])
            let body = try row.map { try StoredFinding.decode($0["body"]).merged(with: f) } ?? f
            try upsert(db, key: f.key, body: body, status: .suppressed, reopened: row == nil, reported: false, runId: runId, now: now)
        }
    }

    /// New events outside the known first…last span, or a higher severity.
    private func isChange(_ f: Finding, of old: Finding) -> Bool {
        if f.severity > old.severity { return true }
        if let l = f.lastSeen, old.lastSeen == nil || l > old.lastSeen! { return true }
        if let s = f.firstSeen, old.firstSeen == nil || s < old.firstSeen! { return true }
        return false
    }

    private func upsert(_ db: Database, key: String, body: Finding, status: FindingStatus, reopened: Bool, reported: Bool,
                        runId: Int64, now: Double) throws {
        let text = try StoredFinding.encode(body)
        if reopened {
            try db.execute(sql: """
                INSERT OR REPLACE INTO finding(key, detector, principal, severity, title, first_seen, last_seen, count, status,
                    first_reported_run, last_reported_run, first_reported_at, last_reported_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key, body.detector, body.principal, body.severity.name, body.title,
                                 body.firstSeen?.millisecondsSince1970, body.lastSeen?.millisecondsSince1970, body.count,
                                 status.rawValue, runId, runId, now, now, text])
        } else {
            try db.execute(sql: """
                UPDATE finding SET severity = ?, title = ?, first_seen = ?, last_seen = ?, count = ?, status = ?, body = ?,
                    last_reported_run = CASE WHEN ? THEN ? ELSE last_reported_run END,
                    last_reported_at = CASE WHEN ? THEN ? ELSE last_reported_at END
                WHERE key = ?
                """, arguments: [body.severity.name, body.title, body.firstSeen?.millisecondsSince1970,
                                 body.lastSeen?.millisecondsSince1970, body.count, status.rawValue, text,
                                 reported, runId, reported, now, key])
        }
    }

    /// The findings a run will report, in report order.
    public func pendingFindings(runId: Int64) throws -> [ReportedFinding] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT activity, body FROM run_finding WHERE run_id = ?", arguments: [runId]).map { r in
                ReportedFinding(finding: try StoredFinding.decode(r["body"]), activity: FindingActivity(rawValue: r["activity"]) ?? .create,
                                status: .open)
            }.sorted { Finding.reportOrder($0.finding, $1.finding) }
        }
    }

    /// Every finding of the history with `status` (all when nil), in report order.
    public func historyFindings(status: FindingStatus? = nil) throws -> [ReportedFinding] {
        try db.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT status, first_reported_run, last_reported_run, body FROM finding"
                                        + (status == nil ? "" : " WHERE status = ?"), arguments: StatementArguments(status.map { [$0.rawValue] } ?? []))
            return try rows.map { r in
                let first: Int64 = r["first_reported_run"], last: Int64 = r["last_reported_run"]
                return ReportedFinding(finding: try StoredFinding.decode(r["body"]), activity: first == last ? .create : .update,
                                       status: FindingStatus(rawValue: r["status"]) ?? .open)
            }.sorted { Finding.reportOrder($0.finding, $1.finding) }
        }
    }
}
