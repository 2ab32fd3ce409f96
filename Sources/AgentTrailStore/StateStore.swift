import AgentTrail
import GRDB

/// Namespace for the persistent state store (processed-file ledger, baselines, findings history).
public enum AgentTrailStoreInfo {
    /// The SQLite schema version this build writes.
    public static let schemaVersion = 1
}
