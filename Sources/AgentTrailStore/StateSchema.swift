import GRDB

/// The versioned schema of the state file. Append migrations; never edit a shipped one.
enum StateSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE run(
                    id INTEGER PRIMARY KEY, started_at REAL NOT NULL, completed_at REAL,
                    batches INTEGER NOT NULL DEFAULT 0, files INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE processed_file(
                    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, edge_hash TEXT NOT NULL,
                    processed_at REAL NOT NULL, records INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0,
                    learning INTEGER NOT NULL DEFAULT 0, run_id INTEGER NOT NULL);
                CREATE TABLE principal(
                    principal TEXT PRIMARY KEY, first_seen INTEGER, last_seen INTEGER, records INTEGER NOT NULL,
                    vpc_endpoint_calls INTEGER NOT NULL, direct_calls INTEGER NOT NULL,
                    agent_role INTEGER NOT NULL, uses_bedrock INTEGER NOT NULL);
                CREATE TABLE baseline_term(
                    principal TEXT NOT NULL, kind TEXT NOT NULL, term TEXT NOT NULL,
                    first_seen INTEGER, last_seen INTEGER, count INTEGER NOT NULL,
                    PRIMARY KEY(principal, kind, term)) WITHOUT ROWID;
                CREATE TABLE baseline_hour(
                    principal TEXT NOT NULL, hour INTEGER NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY(principal, hour)) WITHOUT ROWID;
                CREATE TABLE finding(
                    key TEXT PRIMARY KEY, detector TEXT NOT NULL, principal TEXT, severity TEXT NOT NULL,
                    title TEXT NOT NULL, first_seen INTEGER, last_seen INTEGER, count INTEGER NOT NULL,
                    status TEXT NOT NULL, first_reported_run INTEGER NOT NULL, last_reported_run INTEGER NOT NULL,
                    first_reported_at REAL NOT NULL, last_reported_at REAL NOT NULL, body TEXT NOT NULL);
                CREATE TABLE run_finding(
                    run_id INTEGER NOT NULL, key TEXT NOT NULL, activity TEXT NOT NULL, body TEXT NOT NULL,
                    PRIMARY KEY(run_id, key));
                """)
        }
        m.registerMigration("v2") { db in
            // Nightly runs judge their files as a whole: the baseline contributions of a run's alerting files wait
            // in pending_* tables until the run completes (its files are judged against the baselines from before
            // it), its findings are recorded once (run.findings_recorded), and the 5-minute invocation counts of the
            // last days (recent_bucket) let the next run judge windows that straddle two runs whole.
            try db.execute(sql: """
                CREATE TABLE recent_bucket(
                    principal TEXT NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY(principal, bucket)) WITHOUT ROWID;
                CREATE TABLE pending_principal(
                    principal TEXT PRIMARY KEY, first_seen INTEGER, last_seen INTEGER, records INTEGER NOT NULL,
                    vpc_endpoint_calls INTEGER NOT NULL, direct_calls INTEGER NOT NULL,
                    agent_role INTEGER NOT NULL, uses_bedrock INTEGER NOT NULL);
                CREATE TABLE pending_term(
                    principal TEXT NOT NULL, kind TEXT NOT NULL, term TEXT NOT NULL,
                    first_seen INTEGER, last_seen INTEGER, count INTEGER NOT NULL,
                    PRIMARY KEY(principal, kind, term)) WITHOUT ROWID;
                CREATE TABLE pending_hour(
                    principal TEXT NOT NULL, hour INTEGER NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY(principal, hour)) WITHOUT ROWID;
                CREATE TABLE pending_bucket(
                    principal TEXT NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY(principal, bucket)) WITHOUT ROWID;
                ALTER TABLE run ADD COLUMN findings_recorded INTEGER NOT NULL DEFAULT 0;
                """)
            // A run interrupted under v1 recorded its findings batch by batch: the next run reports them and
            // completes it; the files it had not read yet are read by the run after.
            try db.execute(sql: "UPDATE run SET findings_recorded = 1 WHERE completed_at IS NULL")
        }
        m.registerMigration("v3") { db in
            // Nightly shards: the shard a state file belongs to (K of N, by which unit), recorded by its first sharded
            // run; a later run with another spec is refused. No row: an unsharded state file (or one never run).
            try db.execute(sql: """
                CREATE TABLE shard_spec(
                    id INTEGER PRIMARY KEY CHECK (id = 1), shard_index INTEGER NOT NULL, shard_count INTEGER NOT NULL,
                    unit TEXT NOT NULL);
                """)
        }
        return m
    }
}
