import AgentTrail
import AgentTrailStore
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `agenttrail state`: inspect, prune and export the nightly-mode state file.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect, prune or export the state file of incremental (nightly) scans.",
        subcommands: [Show.self, Prune.self, Export.self])

    /// The state file choice shared by the subcommands.
    struct Location: ParsableArguments {
        @Option(help: "State file (default: $AGENTTRAIL_STATE, else ~/.local/state/agenttrail/state.sqlite).")
        var state: String?

        var path: String { StateStore.resolvePath(state, environment: Environment.all) }

        func open(readOnly: Bool) throws -> StateStore {
            do { return try StateStore(path: path, readOnly: readOnly) } catch let e as StateError { throw CLIError.fatal(e.message) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the ledger, baselines and findings history.")
        @OptionGroup var location: Location
        @Option(help: "text | json") var format: ShowFormat = .text
        @Flag(help: "List every processed file.") var files = false
        @Flag(help: "List every principal's baseline.") var baselines = false

        enum ShowFormat: String, ExpressibleByArgument { case text, json }

        func run() throws {
            let store = try location.open(readOnly: true)
            let view = try store.named { try StateOverviewReport(store: store, files: files, baselines: baselines) }
            Terminal.writeStdout(format == .json ? view.json.serialized(pretty: true) + "\n" : view.text)
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove history older than DAYS before the latest stored event.")
        @OptionGroup var location: Location
        @Option(help: "Days of history to keep.") var olderThan: Int
        @Option(help: "When another run holds the state file, wait up to this many seconds.") var waitLock: Double = 0

        func validate() throws { if olderThan < 1 { throw ValidationError("--older-than must be at least 1") } }

        func run() throws {
            let lock: StateLock
            let io = CommandIO.current
            do { lock = try StateLock(statePath: location.path, waitSeconds: waitLock) { Terminal.writeStderr("agenttrail: \($0)\n", to: io) } } catch let e as StateError {
                throw CLIError.fatal(e.message)
            }
            defer { withExtendedLifetime(lock) {} }
            let store = try location.open(readOnly: false)
            let r = try store.named { try store.prune(olderThanDays: olderThan) { access($0, F_OK) == 0 } }
            Terminal.writeStdout("Pruned \(r.principals) principals, \(r.terms) baseline terms, \(r.hours) histogram hours, \(r.findings) findings, \(r.runs) runs, \(r.ledgerEntries) ledger entries of missing files\n")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the baselines (and optionally ledger and findings) as JSON.")
        @OptionGroup var location: Location
        @Flag(help: "Include the processed-file ledger.") var ledger = false
        @Flag(help: "Include the findings history.") var findings = false

        func run() throws {
            let store = try location.open(readOnly: true)
            Terminal.writeStdout(try store.named { try store.exportJSON(ledger: ledger, findings: findings) }.serialized(pretty: true) + "\n")
        }
    }
}
