import AgentTrail
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Namespace for the persistent state store (processed-file ledger, baselines, findings history).
public enum AgentTrailStoreInfo {
    /// The SQLite schema version this build writes (number of migrations).
    public static let schemaVersion = 2
}

/// The nightly-mode state file: a SQLite database (WAL, versioned migrations) holding the processed-file
/// ledger, per-principal baselines, the findings history and runs. Writers must hold a `StateLock`.
public final class StateStore: @unchecked Sendable {
    /// Path of the SQLite file.
    public let path: String
    let db: DatabaseQueue

    /// Opens (creating it and its folder when missing) and migrates the state file at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.readonly = readOnly
        if !readOnly {
            config.journalMode = .wal
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try StateStore.makeParentDirectory(of: path)
        } else if access(path, R_OK) != 0 {
            throw StateError(.missing, "no state file at \(path)", path: path)
        }
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            if !readOnly { try StateSchema.migrator.migrate(db) }
            let applied = try db.read { try StateSchema.migrator.appliedIdentifiers($0) }
            let known = StateSchema.migrator.migrations
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw StateError(.schemaTooNew, "state file \(path) has migration \(unknown), unknown to this version of agenttrail", path: path)
            }
        } catch let e as StateError {
            throw e
        } catch {
            throw StateError(.unusable, "cannot open state file \(path): \(error)", path: path)
        }
    }

    /// `--state` when given, else `$AGENTTRAIL_STATE`, else `~/.local/state/agenttrail/state.sqlite`
    /// (`$XDG_STATE_HOME/agenttrail/state.sqlite` when that is set).
    public static func resolvePath(_ explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let e = environment["AGENTTRAIL_STATE"], !e.isEmpty { return e }
        if let x = environment["XDG_STATE_HOME"], !x.isEmpty { return x + "/agenttrail/state.sqlite" }
        return (environment["HOME"] ?? ".") + "/.local/state/agenttrail/state.sqlite"
    }

    static func makeParentDirectory(of path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let dir = String(path[..<slash])
        var prefix = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw StateError(.unusable, "cannot create folder \(prefix) for the state file: \(String(cString: strerror(errno)))", path: path)
            }
        }
    }

    /// A value from the `meta` table.
    func meta(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }
}

/// A state-store error (exit 1 in the CLI).
public struct StateError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// Another process holds the state lock.
        case locked
        /// The file cannot be opened, created or migrated.
        case unusable
        /// The file was written by a newer agenttrail.
        case schemaTooNew
        /// No state file (read-only commands).
        case missing
        /// A request the store cannot serve (e.g. `-` as input).
        case invalid
    }

    public var code: Code
    public var message: String
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
