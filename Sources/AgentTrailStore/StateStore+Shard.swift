import AgentTrail
import GRDB

/// The shard a nightly state file belongs to: shard `index` of `count`, by `unit` (`account`). A sharded nightly run
/// keeps the baselines of its accounts only, so a state file must always be read by the same shard of the same N.
public struct StateShardSpec: Codable, Sendable, Hashable, CustomStringConvertible {
    /// K, from 0.
    public var index: Int
    /// N.
    public var count: Int
    /// What a shard keeps together (`ShardUnit`'s raw value; nightly shards are by `account`).
    public var unit: String

    public init(index: Int, count: Int, unit: String) {
        self.index = index
        self.count = count
        self.unit = unit
    }

    /// `shard K/N by UNIT`.
    public var description: String { "shard \(index)/\(count) by \(unit)" }

    /// `description` of `spec`, or `unsharded` for nil.
    public static func describe(_ spec: StateShardSpec?) -> String { spec?.description ?? "unsharded" }
}

extension StateStore {
    /// The shard spec recorded in the state file (nil: unsharded or never run).
    public func shardSpec() throws -> StateShardSpec? {
        try db.read { db in try Self.shardSpec(db) }
    }

    static func shardSpec(_ db: Database) throws -> StateShardSpec? {
        // (A state file of schema 2 read without migrating, by `state show`, has no table: unsharded.)
        guard try db.tableExists("shard_spec") else { return nil }
        guard let row = try Row.fetchOne(db, sql: "SELECT shard_index, shard_count, unit FROM shard_spec WHERE id = 1") else { return nil }
        return StateShardSpec(index: row["shard_index"], count: row["shard_count"], unit: row["unit"])
    }

    /// Checks that a run with `spec` (nil: unsharded) may use this state file, and records `spec` on the first run of
    /// a fresh file. Refused (`StateError.Code.shardMismatch`, naming the file and both specs): a spec different from
    /// the recorded one, a sharded run on a state file that already holds an unsharded history, and an unsharded run
    /// on a sharded state file — its baselines would be silently wrong.
    public func claimShard(_ spec: StateShardSpec?) throws {
        try db.write { db in
            let recorded = try Self.shardSpec(db)
            if let recorded {
                guard recorded == spec else { throw mismatch(recorded: recorded, run: spec) }
                return
            }
            guard let spec else { return }
            let runs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? 0
            let files = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM processed_file") ?? 0
            if runs > 0 || files > 0 { throw mismatch(recorded: nil, run: spec) }
            try db.execute(sql: "INSERT INTO shard_spec(id, shard_index, shard_count, unit) VALUES (1, ?, ?, ?)",
                           arguments: [spec.index, spec.count, spec.unit])
        }
    }

    private func mismatch(recorded: StateShardSpec?, run: StateShardSpec?) -> StateError {
        let advice = recorded == nil
            ? "an unsharded state file cannot become a shard's: start the shards with new state files (see Docs/Scale.md, Nightly at scale)"
            : "each shard keeps its own state file; give this run the state file of its shard, or start new state files when N changes (see Docs/Scale.md, Nightly at scale)"
        return StateError(.shardMismatch, "state file \(path) belongs to \(StateShardSpec.describe(recorded)); this run is "
                          + "\(StateShardSpec.describe(run)): \(advice)", path: path)
    }
}
