import AgentTrail
import GRDB

/// What the store knows before a batch: the baselines, and the AgentCore roles and Bedrock callers seen so far.
public struct StoreKnowledge: Sendable {
    public var baselines: StaticBaselines
    public var agentRoles: Set<String>
    public var bedrockPrincipals: Set<String>
    /// Latest event time of any principal in the history.
    public var historyEnd: Instant?
}

extension StateStore {
    /// Hours of invocation history used for the hour-of-day profile and the active hours of day.
    static let histogramHours: Int64 = 30 * 24
    /// 5-minute invocation buckets kept for windows that straddle two runs: two days before the latest one.
    static let recentBuckets: Int64 = 2 * 24 * 12
    /// Direct Bedrock/AgentCore calls needed before "always uses a VPC endpoint" is decided.
    static let minVPCCalls = 5

    /// Loads every principal's baseline (`PrincipalBaseline`) from the stored terms, histogram and recent buckets.
    /// What a running run's alerting files contributed (pending tables) is not part of it.
    public func loadKnowledge() throws -> StoreKnowledge {
        try db.read { db in try loadKnowledge(db) }
    }

    func loadKnowledge(_ db: Database) throws -> StoreKnowledge {
        var k = StoreKnowledge(baselines: StaticBaselines([:]), agentRoles: [], bedrockPrincipals: [], historyEnd: nil)
        let end = try Int64.fetchOne(db, sql: "SELECT max(last_seen) FROM principal")
        k.historyEnd = end.map { Instant(millisecondsSince1970: $0) }
        let endHour = end.map { $0 / 3_600_000 + 1 } ?? 0
        var firstHour: [String: Int64] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT * FROM principal") {
            let p: String = r["principal"]
            var b = PrincipalBaseline()
            let vpc: Int = r["vpc_endpoint_calls"], direct: Int = r["direct_calls"]
            if vpc + direct >= StateStore.minVPCCalls { b.alwaysUsesVPCEndpoint = direct == 0 }
            if let f: Int64 = r["first_seen"] { firstHour[p] = f / 3_600_000 }
            if r["agent_role"] as Bool { k.agentRoles.insert(p) }
            if r["uses_bedrock"] as Bool { k.bedrockPrincipals.insert(p) }
            k.baselines.baselines[p] = b
        }
        var ips: [String: Set<IPAddress>] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT principal, kind, term FROM baseline_term WHERE kind IN ('ip', 'region', 'model', 'action')") {
            let p: String = r[0], kind: String = r[1], term: String = r[2]
            guard k.baselines.baselines[p] != nil else { continue }
            switch kind {
            case "ip": if let ip = IPAddress(term) { ips[p, default: []].insert(ip) }
            case "region": k.baselines.baselines[p]!.regions.insert(term)
            case "action":
                // `service:EventName` (CallClassifier.actionLabel): the service is what expected-service checks use.
                if let colon = term.firstIndex(of: ":") { k.baselines.baselines[p]!.services.insert(String(term[..<colon])) }
                k.baselines.baselines[p]!.actions.insert(term)
            default: k.baselines.baselines[p]!.models.insert(term)
            }
        }
        for (p, set) in ips { k.baselines.baselines[p]!.ips = set }
        var hours: [String: [Int64: Int]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT principal, hour, count FROM baseline_hour WHERE hour >= ?",
                                     arguments: [endHour - StateStore.histogramHours]) {
            hours[r[0], default: [:]][r[1]] = r[2]
        }
        for (p, first) in firstHour {
            let start = max(first, endHour - StateStore.histogramHours)
            guard start < endHour else { continue }
            let counts = hours[p] ?? [:]
            let profile = HourOfDayProfile(firstHour: start, endHour: endHour) { counts[$0] ?? 0 }
            if profile.isComplete { k.baselines.baselines[p]!.invocationProfile = profile }
            if endHour - first >= 7 * 24 { k.baselines.baselines[p]!.activeHoursOfDay = profile.activeHours }
        }
        for r in try Row.fetchAll(db, sql: "SELECT principal, bucket, count FROM recent_bucket") {
            let p: String = r[0]
            guard k.baselines.baselines[p] != nil else { continue }
            k.baselines.baselines[p]!.recentInvocations[r[1]] = r[2]
        }
        return k
    }

    /// The baseline tables: the stored ones, or those a run's alerting files wait in until it completes.
    enum BaselineTables {
        case stored, pending

        var principal: String { self == .stored ? "principal" : "pending_principal" }
        var term: String { self == .stored ? "baseline_term" : "pending_term" }
        var hour: String { self == .stored ? "baseline_hour" : "pending_hour" }
        var bucket: String { self == .stored ? "recent_bucket" : "pending_bucket" }
    }

    /// Merges collected baselines into the stored ones, or into the pending ones (min first seen, max last seen,
    /// summed counts).
    func mergeBaselines(_ db: Database, _ c: CollectedBaselines, into tables: BaselineTables = .stored) throws {
        let everyone = Set(c.principals.keys).union(c.agentRoles).union(c.bedrockPrincipals)
        for p in everyone.sorted() {
            let f = c.principals[p] ?? CollectedBaselines.PrincipalFacts()
            try db.execute(sql: """
                INSERT INTO \(tables.principal)(principal, first_seen, last_seen, records, vpc_endpoint_calls, direct_calls, agent_role, uses_bedrock)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(principal) DO UPDATE SET
                    first_seen = min(coalesce(first_seen, excluded.first_seen), coalesce(excluded.first_seen, first_seen)),
                    last_seen = max(coalesce(last_seen, excluded.last_seen), coalesce(excluded.last_seen, last_seen)),
                    records = records + excluded.records,
                    vpc_endpoint_calls = vpc_endpoint_calls + excluded.vpc_endpoint_calls,
                    direct_calls = direct_calls + excluded.direct_calls,
                    agent_role = max(agent_role, excluded.agent_role),
                    uses_bedrock = max(uses_bedrock, excluded.uses_bedrock)
                """, arguments: [p, f.activity.first?.millisecondsSince1970, f.activity.last?.millisecondsSince1970,
                                 f.activity.count, f.vpcEndpointCalls, f.directCalls,
                                 c.agentRoles.contains(p), c.bedrockPrincipals.contains(p)])
        }
        let term = try db.makeStatement(sql: """
            INSERT INTO \(tables.term)(principal, kind, term, first_seen, last_seen, count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(principal, kind, term) DO UPDATE SET
                first_seen = min(coalesce(first_seen, excluded.first_seen), coalesce(excluded.first_seen, first_seen)),
                last_seen = max(coalesce(last_seen, excluded.last_seen), coalesce(excluded.last_seen, last_seen)),
                count = count + excluded.count
            """)
        for (k, s) in c.terms {
            try term.execute(arguments: [k.principal, k.kind.rawValue, k.term, s.first?.millisecondsSince1970,
                                         s.last?.millisecondsSince1970, s.count])
        }
        let hour = try db.makeStatement(sql: """
            INSERT INTO \(tables.hour)(principal, hour, count) VALUES (?, ?, ?)
            ON CONFLICT(principal, hour) DO UPDATE SET count = count + excluded.count
            """)
        for (k, n) in c.hourlyInvocations { try hour.execute(arguments: [k.principal, k.hour, n]) }
        let bucket = try db.makeStatement(sql: """
            INSERT INTO \(tables.bucket)(principal, bucket, count) VALUES (?, ?, ?)
            ON CONFLICT(principal, bucket) DO UPDATE SET count = count + excluded.count
            """)
        for (k, n) in c.invocationBuckets { try bucket.execute(arguments: [k.principal, k.bucket, n]) }
    }

    /// What the pending tables hold, as collected baselines (networks are already among the terms).
    func pendingBaselines(_ db: Database) throws -> CollectedBaselines {
        var c = CollectedBaselines()
        func instant(_ v: Int64?) -> Instant? { v.map { Instant(millisecondsSince1970: $0) } }
        for r in try Row.fetchAll(db, sql: "SELECT * FROM pending_principal") {
            let p: String = r["principal"]
            var f = CollectedBaselines.PrincipalFacts()
            f.activity = .init(first: instant(r["first_seen"]), last: instant(r["last_seen"]), count: r["records"])
            f.vpcEndpointCalls = r["vpc_endpoint_calls"]
            f.directCalls = r["direct_calls"]
            c.principals[p] = f
            if r["agent_role"] as Bool { c.agentRoles.insert(p) }
            if r["uses_bedrock"] as Bool { c.bedrockPrincipals.insert(p) }
        }
        for r in try Row.fetchAll(db, sql: "SELECT * FROM pending_term") {
            guard let kind = CollectedBaselines.Kind(rawValue: r["kind"]) else { continue }
            c.terms[.init(principal: r["principal"], kind: kind, term: r["term"])] =
                .init(first: instant(r["first_seen"]), last: instant(r["last_seen"]), count: r["count"])
        }
        for r in try Row.fetchAll(db, sql: "SELECT principal, hour, count FROM pending_hour") {
            c.hourlyInvocations[.init(principal: r[0], hour: r[1])] = r[2]
        }
        for r in try Row.fetchAll(db, sql: "SELECT principal, bucket, count FROM pending_bucket") {
            c.invocationBuckets[.init(principal: r[0], bucket: r[1])] = r[2]
        }
        return c
    }

    /// Moves the pending baselines into the stored ones (a run completes) and drops recent buckets older than
    /// `recentBuckets` before the latest.
    func promotePendingBaselines(_ db: Database) throws {
        try mergeBaselines(db, try pendingBaselines(db))
        for t in ["pending_principal", "pending_term", "pending_hour", "pending_bucket"] { try db.execute(sql: "DELETE FROM \(t)") }
        if let latest = try Int64.fetchOne(db, sql: "SELECT max(bucket) FROM recent_bucket") {
            try db.execute(sql: "DELETE FROM recent_bucket WHERE bucket < ?", arguments: [latest - StateStore.recentBuckets])
        }
    }
}
