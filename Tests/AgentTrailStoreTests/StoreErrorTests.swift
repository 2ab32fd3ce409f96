import AgentTrail
import AgentTrailTestSupport
import Foundation
import GRDB
import Testing
@testable import AgentTrailStore

/// Errors of the state file name it: SQLite's own messages do not.
@Suite struct StoreErrorTests {
    /// A nightly run into a state file that cannot grow ("database or disk is full", here from `max_page_count`).
    @Test func aFullDiskNamesTheStateFile() throws {
        // Not TestPaths.temporaryFolder: with its shorter name the ledger's paths take fewer pages and the file does
        // not fill up. The test depends on the length of this path (and of $TMPDIR).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agenttrail-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // 40 files of 50 records, each by its own principal from its own address: baselines need many new pages.
        for f in 0..<40 {
            var records: [String] = []
            for r in 0..<50 {
                let n = f * 50 + r
                records.append("""
                {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA\(n)","arn":"arn:aws:iam::111122223333:user/u\(n)",\
                "accountId":"111122223333","userName":"u\(n)"},"eventTime":"2025-07-14T03:\(String(format: "%02d", r)):00Z",\
                "eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"10.\(n / 250).\(n % 250).1",\
                "userAgent":"aws-cli/2","eventID":"e\(n)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}
                """)
            }
            let name = "111122223333_CloudTrail_us-east-1_20250714T03\(String(format: "%02d", f))Z_f\(f).json"
            try HostileFiles.log(records).write(to: dir.appendingPathComponent(name))
        }
        let path = dir.appendingPathComponent("state.sqlite").path
        let store = try StateStore(path: path)
        try store.db.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 2)")
        }
        let options = NightlyOptions(scan: ScanOptions(paths: [dir.path], jobs: 1)) { DetectorRegistry.all(storedBaselines: $0) }
        #expect {
            _ = try NightlyRun.run(store: store, options: options)
        } throws: { error in
            guard let e = error as? StateError else { return false }
            return e.description.contains(path) && e.description.contains("full") && e.path == path
        }
        // Reads through `named` say which file too.
        let failing: () throws -> Int = { throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full") }
        #expect(throws: StateError.self) { _ = try store.named(failing) }
        #expect(store.stateError(DatabaseError(resultCode: .SQLITE_IOERR)).description.hasPrefix("state file \(path): "))
    }
}
