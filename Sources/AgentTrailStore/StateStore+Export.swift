import AgentTrail
import GRDB

extension StateStore {
    /// Counts for `state show`.
    public struct Overview: Sendable {
        public var path: String
        public var schemaVersion: Int
        public var learningEnd: Instant?
        public var historyStart: Instant?
        public var historyEnd: Instant?
        public var files: Int
        public var failedFiles: Int
        public var learningFiles: Int
        public var records: Int
        public var lastProcessedAt: Double?
        public var principals: Int
        public var terms: [String: Int]
        public var findingsByStatus: [String: Int]
        public var runs: Int
        public var unfinishedRuns: Int
        /// The shard the state file belongs to (nil: unsharded).
        public var shard: StateShardSpec? = nil
    }

    public func overview() throws -> Overview {
        try db.read { db in
            let le = try meta(db, "learning_end").flatMap { Int64($0) }
            func int(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            var terms: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT kind, count(*) FROM baseline_term GROUP BY kind") { terms[r[0]] = r[1] }
            var findings: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM finding GROUP BY status") { findings[r[0]] = r[1] }
            return Overview(
                path: path, schemaVersion: AgentTrailStoreInfo.schemaVersion,
                learningEnd: le.map { Instant(millisecondsSince1970: $0) },
                historyStart: try Int64.fetchOne(db, sql: "SELECT min(first_seen) FROM principal").map { Instant(millisecondsSince1970: $0) },
                historyEnd: try Int64.fetchOne(db, sql: "SELECT max(last_seen) FROM principal").map { Instant(millisecondsSince1970: $0) },
                files: try int("SELECT count(*) FROM processed_file"), failedFiles: try int("SELECT count(*) FROM processed_file WHERE failed"),
                learningFiles: try int("SELECT count(*) FROM processed_file WHERE learning"),
                records: try int("SELECT coalesce(sum(records), 0) FROM processed_file"),
                lastProcessedAt: try Double.fetchOne(db, sql: "SELECT max(processed_at) FROM processed_file"),
                principals: try int("SELECT count(*) FROM principal"), terms: terms, findingsByStatus: findings,
                runs: try int("SELECT count(*) FROM run"), unfinishedRuns: try int("SELECT count(*) FROM run WHERE completed_at IS NULL"),
                shard: try Self.shardSpec(db))
        }
    }

    /// The stored baselines (and optionally the ledger and findings history) as deterministic JSON: no
    /// wall-clock fields, sorted keys and rows. `state export`.
    public func exportJSON(ledger includeLedger: Bool = false, findings includeFindings: Bool = false) throws -> JSONValue {
        try db.read { db in
            let ms: (Int64?) -> JSONValue = { $0.map { .string(Instant(millisecondsSince1970: $0).iso8601) } ?? .null }
            var termsBy: [String: [String: [JSONValue]]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM baseline_term ORDER BY principal, kind, term") {
                let p: String = r["principal"], kind: String = r["kind"]
                termsBy[p, default: [:]][kind, default: []].append(.object([
                    ("term", .string(r["term"])), ("firstSeen", ms(r["first_seen"])), ("lastSeen", ms(r["last_seen"])), ("count", .int(r["count"])),
                ]))
            }
            var hoursBy: [String: [JSONValue]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM baseline_hour ORDER BY principal, hour") {
                let h: Int64 = r["hour"]
                hoursBy[r["principal"], default: []].append(.array([ms(h * 3_600_000), .int(r["count"])]))
            }
            var bucketsBy: [String: [JSONValue]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM recent_bucket ORDER BY principal, bucket") {
                let b: Int64 = r["bucket"]
                bucketsBy[r["principal"], default: []].append(.array([ms(b * InvocationSpikeDetector.bucketMs), .int(r["count"])]))
            }
            var principals: [JSONValue] = []
            for r in try Row.fetchAll(db, sql: "SELECT * FROM principal ORDER BY principal") {
                let p: String = r["principal"]
                let kinds = CollectedBaselines.Kind.allCases.map(\.rawValue)
                let first: Int64? = r["first_seen"], last: Int64? = r["last_seen"]
                let records: Int = r["records"], vpc: Int = r["vpc_endpoint_calls"], direct: Int = r["direct_calls"]
                let agent: Bool = r["agent_role"], bedrock: Bool = r["uses_bedrock"]
                let terms: [(String, JSONValue)] = kinds.map { ($0, JSONValue.array(termsBy[p]?[$0] ?? [])) }
                var obj: [(String, JSONValue)] = [("principal", .string(p)), ("firstSeen", ms(first)), ("lastSeen", ms(last))]
                obj += [("records", .int(records)), ("vpcEndpointCalls", .int(vpc)), ("directCalls", .int(direct))]
                obj += [("agentRole", .bool(agent)), ("usesBedrock", .bool(bedrock))]
                obj += [("terms", .object(terms)), ("hourlyInvocations", .array(hoursBy[p] ?? []))]
                obj += [("recentInvocations", .array(bucketsBy[p] ?? []))]
                principals.append(.object(obj))
            }
            var pairs: [(String, JSONValue)] = [
                ("schemaVersion", .int(AgentTrailStoreInfo.schemaVersion)),
                ("learningEnd", ms(try meta(db, "learning_end").flatMap { Int64($0) })),
                ("baselines", .array(principals)),
            ]
            if includeLedger {
                pairs.append(("ledger", .array(try Row.fetchAll(db, sql: "SELECT * FROM processed_file ORDER BY path").map(Self.ledgerJSON))))
            }
            if includeFindings {
                pairs.append(("findings", .array(try Row.fetchAll(db, sql: "SELECT * FROM finding ORDER BY key").map(Self.findingJSON))))
            }
            return .object(pairs)
        }
    }

    private static func ledgerJSON(_ r: Row) -> JSONValue {
        let path: String = r["path"], size: Int = r["size"], mtime: Int = r["mtime_ns"], hash: String = r["edge_hash"]
        let records: Int = r["records"], failed: Bool = r["failed"], learning: Bool = r["learning"], run: Int = r["run_id"]
        var o: [(String, JSONValue)] = [("path", .string(path)), ("size", .int(size)), ("mtimeNs", .int(mtime))]
        o += [("edgeHash", .string(hash)), ("records", .int(records)), ("failed", .bool(failed))]
        o += [("learning", .bool(learning)), ("run", .int(run))]
        return .object(o)
    }

    private static func findingJSON(_ r: Row) -> JSONValue {
        let key: String = r["key"], detector: String = r["detector"], principal: String? = r["principal"]
        let severity: String = r["severity"], status: String = r["status"], count: Int = r["count"]
        let first: Int64? = r["first_seen"], last: Int64? = r["last_seen"]
        let firstRun: Int = r["first_reported_run"], lastRun: Int = r["last_reported_run"]
        let t: (Int64?) -> JSONValue = { $0.map { .string(Instant(millisecondsSince1970: $0).iso8601) } ?? .null }
        var o: [(String, JSONValue)] = [("key", .string(key)), ("detector", .string(detector)), ("principal", .str(principal))]
        o += [("severity", .string(severity)), ("status", .string(status)), ("count", .int(count))]
        o += [("firstSeen", t(first)), ("lastSeen", t(last)), ("firstReportedRun", .int(firstRun)), ("lastReportedRun", .int(lastRun))]
        return .object(o)
    }
}
