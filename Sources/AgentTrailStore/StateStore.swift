import AgentTrail
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Namespace for the persistent state store (processed-file ledger, baselines, findings history).
public enum AgentTrailStoreInfo {
    /// The SQLite schema version this build writes (number of migrations).
    public static let schemaVersion = 3
}

/// The nightly-mode state file: a SQLite database (WAL, versioned migrations) holding the processed-file
/// ledger, per-principal baselines, the findings history and runs. Writers must hold a `StateLock`.
public final class StateStore: @unchecked Sendable {
    /// Path of the SQLite file.
    public let path: String
    let db: DatabaseQueue
    /// When a read-only open had to read a private copy of the file (see `init`), the folder holding it.
    let snapshotDirectory: String?

    /// Opens (creating it and its folder when missing) and migrates the state file at `path`. With `readOnly`, a file
    /// that SQLite cannot open in place (a WAL-mode file whose folder or file is not writable: even reading needs its
    /// `-wal` and `-shm` files) is read from a private copy, so `state show` and `state export` work on it.
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
            do {
                db = try StateStore.open(path, configuration: config, migrate: !readOnly, shownAs: path)
                snapshotDirectory = nil
            } catch let e as DatabaseError where readOnly && (e.resultCode == .SQLITE_READONLY || e.resultCode == .SQLITE_CANTOPEN) {
                let dir = try StateStore.snapshot(of: path)
                do {
                    db = try StateStore.open(dir + "/state.sqlite", configuration: config, migrate: false, shownAs: path)
                } catch {
                    try? FileManager.default.removeItem(atPath: dir)
                    throw error
                }
                snapshotDirectory = dir
            }
        } catch let e as StateError {
            throw e
        } catch {
            throw StateError(.unusable, "cannot open state file \(path): \(error)", path: path)
        }
    }

    deinit {
        if let snapshotDirectory { try? FileManager.default.removeItem(atPath: snapshotDirectory) }
    }

    /// Opens, migrates when asked, and checks the schema of the SQLite file at `file` (`shownAs` in messages).
    private static func open(_ file: String, configuration: Configuration, migrate: Bool, shownAs path: String) throws -> DatabaseQueue {
        let db = try DatabaseQueue(path: file, configuration: configuration)
        if migrate { try StateSchema.migrator.migrate(db) }
        let applied = try db.read { try StateSchema.migrator.appliedIdentifiers($0) }
        let known = StateSchema.migrator.migrations
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StateError(.schemaTooNew, "state file \(path) has migration \(unknown), unknown to this version of agenttrail", path: path)
        }
        return db
    }

    /// Copies the state file (and its write-ahead log, when there is one) into a new private temporary folder.
    private static func snapshot(of path: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/agenttrail-state-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw StateError(.unusable, "cannot read state file \(path) read-only: no temporary folder for a copy", path: path)
        }
        let dir = String(cString: made)
        do {
            try FileManager.default.copyItem(atPath: path, toPath: dir + "/state.sqlite")
            if FileManager.default.fileExists(atPath: path + "-wal") {
                try FileManager.default.copyItem(atPath: path + "-wal", toPath: dir + "/state.sqlite-wal")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: dir)
            throw StateError(.unusable, "cannot read state file \(path) read-only: \(error)", path: path)
        }
        return dir
    }

    /// `error` as a `StateError` naming this state file (SQLite's own messages, such as "database or disk is full",
    /// do not say which file).
    public func stateError(_ error: any Error) -> StateError {
        if let e = error as? StateError { return e }
        return StateError(.unusable, "state file \(path): \(error)", path: path)
    }

    /// Runs `body`, turning any error into a `StateError` naming this state file.
    public func named<T>(_ body: () throws -> T) throws(StateError) -> T {
        do { return try body() } catch { throw stateError(error) }
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
        /// The run's shard spec (or its absence) differs from the one the state file was made with.
        case shardMismatch
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
