import AgentTrail
import AgentTrailStore
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `scan` options for incremental (nightly) runs against a state file, and machine outputs.
struct StateScanOptions: ParsableArguments {
    @Option(help: "State file (SQLite) for incremental runs: read only new or changed files, keep baselines, report only new or changed findings.")
    var state: String?

    @Flag(help: "Incremental run with the default state file ($AGENTTRAIL_STATE, else ~/.local/state/agenttrail/state.sqlite).")
    var incremental = false

    @Flag(help: "With a state file: only build baselines from these files; baseline detectors do not alert (others still do).")
    var learn = false

    @Flag(help: "With a state file: show every open finding of the history, not only new or changed ones.")
    var allFindings = false

    @Option(help: "With a state file: files per batch (one transaction each).")
    var batchSize = 500

    @Option(help: "With a state file: when another run holds it, wait up to this many seconds (default: fail at once).")
    var waitLock: Double = 0

    @Option(help: "Also write the JSON summary to this file (for monitoring).")
    var summaryJson: String?

    var enabled: Bool { state != nil || incremental || learn || allFindings }

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if waitLock < 0 { throw ValidationError("--wait-lock must not be negative") }
    }

    var statePath: String { StateStore.resolvePath(state, environment: Environment.all) }

    /// Writes `json` to --summary-json when given.
    func writeSummary(_ json: JSONValue) throws {
        guard let path = summaryJson else { return }
        let text = json.serialized(pretty: true) + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError.fatal("cannot write --summary-json \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var t = text
        let ok = t.withUTF8 { buf in write(fd, buf.baseAddress, buf.count) == buf.count }
        if !ok { throw CLIError.fatal("cannot write --summary-json \(path): \(String(cString: strerror(errno)))") }
    }
}
